import { setupBackend } from './backend';

setupBackend('wasm');
