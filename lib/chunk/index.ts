export { Chunker, countTokens } from './chunker';
