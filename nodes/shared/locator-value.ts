import type { INodeParameterResourceLocator } from 'n8n-workflow';

/** Whether a parameter's value is a resource locator (pickers of newer node versions) rather than the text of an older one. */
export function isLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && '__rl' in value;
}

/** The text a parameter holds: a resource locator's value, or an older version's text field as it is. */
export function parameterText(raw: unknown): string {
	return String((isLocator(raw) ? raw.value : raw) ?? '');
}
