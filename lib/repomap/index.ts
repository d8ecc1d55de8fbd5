export { buildRepoMap, importGraph, linkModules, mapFiles, parseModules, type FileText, type MapHeader } from './repo-map';
export { buildMermaid, type DiagramInput } from './mermaid';
export { buildOutline, type Outline, type OutlineInput } from './outline';
export { isMappedLanguage, parseModule } from './parse';
export { pageRank, rankSymbols } from './rank';
export { ModuleIndex, resolveImport } from './resolve';
export type * from './types';
