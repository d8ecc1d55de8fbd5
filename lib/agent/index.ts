export { CodeSearch, type CodeSearchSettings, type FileExcerpt, type OutlineFile, type SimilarFile } from './code-search';
export { formatExcerpt, formatOutline, formatSearch, formatSimilar, locationOf, type OutputLimits } from './format';
export { codeSearchTools, CodeSearchRetriever, documentOf, TOOL_NAMES, type CallObserver, type CodeDocumentMetadata } from './langchain';
