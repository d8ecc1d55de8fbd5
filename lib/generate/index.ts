export { createChatModel, HuggingFaceChatModel, OpenAIChatModel, RetryingChatModel } from './chat';
export type {
	ChatMessage,
	ChatModel,
	ChatModelConfig,
	Completion,
	CompletionOptions,
	TokenUsage,
} from './chat';
export type { HuggingFaceChatModelOptions, OpenAIChatModelOptions, RetryingOptions } from './chat';
export { checkCitations, type CheckedAnswer } from './citations';
export { citationFooter } from './footer';
export { areaOf, changesFromJson, groupByArea, summarizeChanges } from './changes';
export type { ChangeArea, ChangedFile, ChangeSummary } from './changes';
export { chatError } from './errors';
export { isLangChainChatModel, LangChainChatModel, type LangChainChatLike } from './langchain-chat';
export { hitsFromJson, sourceOfHit } from './hits';
export { answerQuestion, explainFile, generate, NO_RELEVANT_CONTEXT_ANSWER } from './operations';
export type {
	AnswerInput,
	AnswerResult,
	ExplainFileInput,
	GeneratedText,
	GenerateSettings,
} from './operations';
export { beginMarker, buildPrompt, endMarker, sourceLabel, systemPrompt } from './prompt';
export type { BuiltPrompt, PromptInput, PromptTask } from './prompt';
export type * from './types';
