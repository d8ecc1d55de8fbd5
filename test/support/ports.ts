export { freePort } from '../../scripts/n8n/ports';
