import { render } from 'preact';
import { Options } from '../../options/App';
import '../../options/options.css';

render(<Options />, document.getElementById('app')!);
