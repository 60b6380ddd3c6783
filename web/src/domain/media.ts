// MMS attachments: crmd's own copy when it downloaded one, else the provider's URL.
import type { Media } from '../api/types';

export function mediaSrc(m: Media): string {
  return m.local_url || m.url;
}

/** Thumbnails only for images, judged by MIME type (URLs carry no reliable extension). */
export function isImage(m: Media): boolean {
  return (m.type ?? '').toLowerCase().startsWith('image/');
}
