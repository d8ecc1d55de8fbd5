export { AnswerCache, checkedTtl, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, type CacheEntry, type CacheStatus } from './answer-cache';
export { withCache, type Cached, type CacheUse } from './cached';
export { ANSWER_PROMPT_VERSION, answerPieces, answerWithCache, chatModelIdentity, type CachedAnswer, type CachedAnswerInput } from './cached-answer';
export { retrieveWithCache, searchScope } from './cached-search';
export { indexVersionOf, sameVersion, type IndexVersion, type IndexVersionLookup } from './index-version';
export { CACHE_FORMAT_VERSION, cacheKey, canonicalJson, endpointOf, keyMaterial, normaliseQuestion, type CacheScope, type ModelIdentity } from './key';
