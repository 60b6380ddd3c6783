import { describe, expect, it } from 'vitest';
import { isImage, mediaSrc } from './media';

describe('media', () => {
  it('prefers crmd’s local copy over the provider URL', () => {
    expect(mediaSrc({ url: 'https://provider/x.jpg', type: 'image/jpeg', local_url: '/media/ab12' })).toBe('/media/ab12');
    expect(mediaSrc({ url: 'https://provider/x.jpg', type: 'image/jpeg', local_url: null })).toBe('https://provider/x.jpg');
  });

  it('treats only image MIME types as images', () => {
    expect(isImage({ url: 'a', type: 'image/png', local_url: null })).toBe(true);
    expect(isImage({ url: 'a', type: 'IMAGE/HEIC', local_url: null })).toBe(true);
    expect(isImage({ url: 'a.jpg', type: 'video/mp4', local_url: null })).toBe(false);
    expect(isImage({ url: 'a.jpg', type: null, local_url: null })).toBe(false);
  });
});
