// Imported first by component tests: the browser globals the app's modules read when they load
// (the router reads `location` and listens for popstate) and the minimal DOM Preact renders into.
import { installDom } from './dom';

const fakeLocation = { pathname: '/', search: '', protocol: 'http:', host: 'crmd.test' };
const fakeHistory = {
  pushState: (_: unknown, __: string, to: string) => {
    const url = new URL(to, 'http://crmd.test');
    fakeLocation.pathname = url.pathname;
    fakeLocation.search = url.search;
  },
  replaceState(state: unknown, title: string, to: string) {
    fakeHistory.pushState(state, title, to);
  },
};
Object.assign(globalThis, { location: fakeLocation, history: fakeHistory, addEventListener: () => {}, removeEventListener: () => {} });
installDom();
