export { retrieve } from './retrieve';
export { fuseRankings, RRF_K, type FusedId, type WeightedRanking } from './fusion';
export { cosine, mmrOrder, type MmrCandidate } from './mmr';
export { buildLexicalQuery, DEFAULT_TOKEN_RULES, INNODB_DEFAULT_STOPWORDS, type LexicalQuery, type TokenRules } from './lexical-query';
export { LexicalSearch, type LexicalScope, type ScoredId } from './lexical-search';
export { lexicalDocument, lexicalWords } from './lexical-text';
export { rerankEndpoint, rerankTexts } from './rerank';
export { findIndex } from './index-lookup';
export type * from './types';
