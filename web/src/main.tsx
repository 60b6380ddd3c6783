import { render } from 'preact';
import { App } from './app';
import { restoreSession } from './state/session';
import './styles.css';

void restoreSession();
render(<App />, document.getElementById('app') as HTMLElement);
