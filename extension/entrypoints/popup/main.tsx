import { render } from 'preact';
import { App } from '../../popup/App';
import '../../popup/popup.css';

render(<App search={new URLSearchParams(location.search)} />, document.getElementById('app')!);
