// The rules of `configWithoutCloudSupport` from @n8n/node-cli 0.48.3 (its dist/configs/eslint.js),
// built from the same plugins without the CLI's own dependency tree, for a self-hosted package.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

/** Cloud-only package rules: a self-hosted package ships runtime dependencies and pins one in overrides. */
const selfHostedPackageRules = {
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
	'@n8n/community-nodes/no-overrides-field': 'off',
};

export default tseslint.config(
	globalIgnores(['dist', 'node_modules']),
	{
		files: ['**/*.ts'],
		extends: [
			js.configs.recommended,
			tseslint.configs.recommended,
			communityNodes,
			importX.flatConfigs.recommended,
		],
		rules: {
			...selfHostedPackageRules,
			'prefer-spread': 'off',
			'no-console': 'error',
			// `import Parser = require('web-tree-sitter')`: the TypeScript form for `export =` modules.
			'@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
			// The icons are full-bleed coloured tiles with white glyphs: legible on light and dark themes.
			'@n8n/community-nodes/icon-prefer-themed-variants': 'off',
		},
	},
	{
		// lib/ never imports n8n: the nodes turn its errors into NodeOperationErrors (nodes/shared/errors.ts).
		files: ['lib/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The Local Git Clone source runs `git` (argument arrays, no shell): self-hosted only.
		files: ['lib/source/git-cli.ts', 'lib/source/cat-file-batch.ts'],
		rules: { '@n8n/community-nodes/no-dangerous-functions': 'off' },
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver()],
		},
	},
	{
		files: ['package.json'],
		extends: [communityNodes],
		rules: {
			...n8nNodesBase.configs.community.rules,
			...selfHostedPackageRules,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			// Node type names carry a `repoMind` prefix; files keep the short names package.json lists.
			'n8n-nodes-base/node-filename-against-convention': 'off',
		},
	},
);
