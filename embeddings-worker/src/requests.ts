/** The request bodies the API takes (zod schemas), and readers of the common embedding bodies that skip zod. */
import { z } from 'zod';

/** TEI's nullable fields: `null` means "not given". */
const nullable = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const ids = z.array(z.number().int().min(0));
const one = z.union([z.string(), ids]);
/** TEI's `Input`: a text, token ids, or a list of either. */
const inputs = z.union([z.string(), ids, z.array(one)], {
	errorMap: (_, context) => ({ message: context.data === undefined ? 'Required' : 'must be a string, token ids, or an array of strings or of token ids' }),
});
/** TEI takes `Left`/`Right` and, as @huggingface/inference sends them, `left`/`right`. */
const direction = z
	.enum(['Left', 'Right', 'left', 'right'])
	.default('Right')
	.transform((value) => (value.toLowerCase() === 'left' ? 'Left' : 'Right'));

export const embedSchema = z.object({
	inputs,
	normalize: z.boolean().default(true),
	truncate: nullable(z.boolean()),
	truncation_direction: direction,
	prompt_name: nullable(z.string()),
	dimensions: nullable(z.number().int().min(0)),
});

export const rerankSchema = z.object({
	query: z.string(),
	texts: z.array(z.string()),
	raw_scores: z.boolean().default(false),
	return_text: z.boolean().default(false),
	truncate: nullable(z.boolean()),
	truncation_direction: direction,
});

export const similaritySchema = z.object({
	inputs: z.object({ source_sentence: z.string(), sentences: z.array(z.string()) }),
	parameters: nullable(z.object({ truncate: nullable(z.boolean()), truncation_direction: direction, prompt_name: nullable(z.string()) })),
});

export const tokenizeSchema = z.object({ inputs: z.union([z.string(), z.array(z.string())]), add_special_tokens: z.boolean().default(true), prompt_name: nullable(z.string()) });
export const decodeSchema = z.object({ ids: z.union([ids, z.array(ids)]), skip_special_tokens: z.boolean().default(true) });

export const openAiSchema = z.object({
	input: z.union([z.string(), z.array(z.string()), ids, z.array(ids)], {
		errorMap: (_, context) => ({ message: context.data === undefined ? 'Required' : 'must be a string, an array of strings, token ids or an array of token ids' }),
	}),
	model: nullable(z.string()),
	encoding_format: nullable(z.enum(['float', 'base64'])),
	dimensions: nullable(z.number().int().min(1)),
	user: nullable(z.string()),
});

export type EmbedRequest = z.output<typeof embedSchema>;
export type OpenAiRequest = z.output<typeof openAiSchema>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isCount = (min: number) => (value: unknown): value is number => Number.isInteger(value) && (value as number) >= min;
/** A nullable field: absent or null is `undefined`, a value of the type is itself, anything else is `false` (not plain). */
const optional = <T>(value: unknown, check: (value: unknown) => value is T): T | undefined | false => (value === undefined || value === null ? undefined : check(value) ? value : false);

function isTextOrTexts(value: unknown): value is string | string[] {
	if (typeof value === 'string') return true;
	if (!Array.isArray(value)) return false;
	for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
	return true;
}

function directionOf(value: unknown): 'Left' | 'Right' | undefined {
	if (value === undefined || value === 'Right' || value === 'right') return 'Right';
	if (value === 'Left' || value === 'left') return 'Left';
	return undefined;
}

/**
 * What embedSchema parses a common /embed body to — `inputs` a text or texts, the other fields
 * absent, null or of their type — read without zod, whose union builds an issue for each branch it
 * tries first (on every request). `undefined` for any other body: zod reads it, and words its errors.
 */
export function plainEmbedRequest(body: unknown): EmbedRequest | undefined {
	if (!isObject(body) || !isTextOrTexts(body.inputs)) return undefined;
	const normalize = body.normalize === undefined ? true : body.normalize;
	const truncate = optional(body.truncate, isBoolean);
	const truncationDirection = directionOf(body.truncation_direction);
	const promptName = optional(body.prompt_name, isString);
	const dimensions = optional(body.dimensions, isCount(0));
	if (!isBoolean(normalize) || truncate === false || !truncationDirection || promptName === false || dimensions === false) return undefined;
	return { inputs: body.inputs, normalize, truncate, truncation_direction: truncationDirection, prompt_name: promptName, dimensions };
}

/** What openAiSchema parses a common /v1/embeddings body to (`input` a text or texts), without zod; `undefined` for any other body. */
export function plainOpenAiRequest(body: unknown): OpenAiRequest | undefined {
	if (!isObject(body) || !isTextOrTexts(body.input)) return undefined;
	const model = optional(body.model, isString);
	const format = optional(body.encoding_format, (value): value is 'float' | 'base64' => value === 'float' || value === 'base64');
	const dimensions = optional(body.dimensions, isCount(1));
	const user = optional(body.user, isString);
	if (model === false || format === false || dimensions === false || user === false) return undefined;
	return { input: body.input, model, encoding_format: format, dimensions, user };
}
