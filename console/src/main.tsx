import { render } from 'preact';
import { App } from './App';
import { startRouter } from './router';
import { checkSession } from './session';

startRouter();
void checkSession();
render(<App />, document.getElementById('app')!);
