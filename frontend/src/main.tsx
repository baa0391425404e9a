// Styles first, so that the features' own CSS comes after the tokens and
// the base rules in the bundle (and wins over them).
import './styles/tokens.css';
import './styles/base.css';
import './styles/ui/index.css';
import './styles/layout.css';
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app');
if (root) render(<App />, root);
