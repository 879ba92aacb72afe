import { setupBackend } from './backend';

setupBackend('cpu');
