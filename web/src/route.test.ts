import { describe, expect, it } from 'vitest';
import { matchRoute } from './route';

describe('matchRoute', () => {
  it('matches the three pages', () => {
    expect(matchRoute('/')).toEqual({ name: 'inbox' });
    expect(matchRoute('/contacts/42')).toEqual({ name: 'contact', id: 42 });
    expect(matchRoute('/contacts/42/')).toEqual({ name: 'contact', id: 42 });
    expect(matchRoute('/contacts/abc')).toEqual({ name: 'not-found' });
    expect(matchRoute('/login')).toEqual({ name: 'login', next: '/' });
  });

  it('returns to a same-app path after login and refuses other origins', () => {
    expect(matchRoute('/login?next=%2Fcontacts%2F7')).toEqual({ name: 'login', next: '/contacts/7' });
    expect(matchRoute('/login?next=%2F%2Fevil.example')).toEqual({ name: 'login', next: '/' });
    expect(matchRoute('/login?next=%2F%5Cevil.example')).toEqual({ name: 'login', next: '/' });
    expect(matchRoute('/login?next=https%3A%2F%2Fevil.example')).toEqual({ name: 'login', next: '/' });
  });
});

describe('sync details route', () => {
  it('names the sync page', () => {
    expect(matchRoute('/sync')).toEqual({ name: 'sync' });
  });
});

describe('campaign routes', () => {
  it('names the list, the builder and the detail page', () => {
    expect(matchRoute('/campaigns')).toEqual({ name: 'campaigns' });
    expect(matchRoute('/campaigns/')).toEqual({ name: 'campaigns' });
    expect(matchRoute('/campaigns/new')).toEqual({ name: 'campaign-new' });
    expect(matchRoute('/campaigns/12')).toEqual({ name: 'campaign', id: 12 });
    expect(matchRoute('/campaigns/12/edit')).toEqual({ name: 'campaign-edit', id: 12 });
    expect(matchRoute('/campaigns/x/edit')).toEqual({ name: 'not-found' });
  });
});
