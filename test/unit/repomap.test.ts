import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countTokens } from '../../lib/chunk/tokens';
import { buildMermaid, mapFiles, pageRank } from '../../lib/repomap';
import type { RepoMapFile } from '../../lib/repomap';

const FILES: Record<string, string> = {
	'src/index.ts': "import { helper } from './util/helper';\nimport { Store } from './store';\n\nexport function main(): string {\n\treturn helper(new Store().get('a'));\n}\n",
	'src/util/helper.ts': "import { Store } from '../store.js';\n\nexport function helper(value: string): string {\n\treturn value.trim();\n}\n\nexport const unused = 1;\n",
	'src/store.ts': 'export class Store {\n\tget(key: string): string {\n\t\treturn key;\n\t}\n\n\tclear(): void {}\n}\n',
	'src/lazy.js': "const store = require('./store');\nmodule.exports = async () => (await import('./util/helper.js')).helper('x');\n",
	'lib/external.ts': "import fs from 'node:fs';\nexport const read = () => fs;\n",
	'py/app/__init__.py': 'from .core import Engine\n',
	'py/app/core.py': 'from . import utils\nfrom .models.user import User\n\n\nclass Engine:\n    def run(self):\n        return utils.slug(User().name)\n',
	'py/app/utils.py': 'import os.path\n\n\ndef slug(text):\n    return text.lower()\n',
	'py/app/models/user.py': 'from ..utils import slug\n\n\nclass User:\n    name = slug("X")\n',
	'py/main.py': 'import app.core\nfrom app import utils\n\napp.core.Engine().run()\n',
	'go.mod': 'module example.com/shop\n\ngo 1.22\n',
	'cmd/shop/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/shop/internal/cart"\n)\n\nfunc main() { fmt.Println(cart.Total(cart.Item{})) }\n',
	'internal/cart/cart.go': 'package cart\n\ntype Item struct{ Price int }\n\nfunc Total(items ...Item) int { return len(items) }\n',
	'internal/cart/cart_test.go': 'package cart\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {}\n',
	'java/src/main/java/com/ex/App.java': 'package com.ex;\n\nimport com.ex.util.Strings;\nimport static com.ex.util.Numbers.twice;\nimport com.ex.model.*;\n\npublic class App {\n\tString run() { return Strings.upper(new Order().id) + twice(2); }\n}\n',
	'java/src/main/java/com/ex/util/Strings.java': 'package com.ex.util;\n\npublic class Strings {\n\tpublic static String upper(String s) { return s.toUpperCase(); }\n}\n',
	'java/src/main/java/com/ex/util/Numbers.java': 'package com.ex.util;\n\npublic class Numbers {\n\tpublic static int twice(int n) { return 2 * n; }\n}\n',
	'java/src/main/java/com/ex/model/Order.java': 'package com.ex.model;\n\npublic class Order {\n\tpublic String id = "1";\n}\n',
	'rs/src/lib.rs': 'mod parser;\npub mod ast;\n\nuse crate::parser::{parse, Parser as P};\n\npub fn run() -> ast::Node {\n    parse("x")\n}\n',
	'rs/src/parser.rs': 'use super::ast::Node;\n\npub struct Parser;\n\npub fn parse(s: &str) -> Node {\n    Node {}\n}\n',
	'rs/src/ast/mod.rs': 'pub struct Node {}\n',
	'README.md': '# Shop\n',
};

const HEADER = { repo: 'test:shop', ref: 'main', commit: 'a'.repeat(40) };
const JAVA = 'java/src/main/java/com/ex';
const map = (options = {}) =>
	mapFiles(Object.entries(FILES).map(([path, content]) => ({ path, content })), HEADER, options);

describe('repository map', () => {
	test('imports of every language resolve to exactly these files', async () => {
		const { edges } = await map();
		assert.deepEqual(
			edges.map((edge) => [edge.from, edge.to, edge.specifier]),
			[
				['cmd/shop/main.go', 'internal/cart/cart.go', 'example.com/shop/internal/cart'],
				[`${JAVA}/App.java`, `${JAVA}/model/Order.java`, 'com.ex.model'],
				[`${JAVA}/App.java`, `${JAVA}/util/Numbers.java`, 'com.ex.util.Numbers.twice'],
				[`${JAVA}/App.java`, `${JAVA}/util/Strings.java`, 'com.ex.util.Strings'],
				['py/app/__init__.py', 'py/app/core.py', '.core'],
				['py/app/core.py', 'py/app/models/user.py', '.models.user'],
				['py/app/core.py', 'py/app/utils.py', '.'],
				['py/app/models/user.py', 'py/app/utils.py', '..utils'],
				['py/main.py', 'py/app/core.py', 'app.core'],
				['py/main.py', 'py/app/utils.py', 'app'],
				['rs/src/lib.rs', 'rs/src/ast/mod.rs', 'ast'],
				['rs/src/lib.rs', 'rs/src/parser.rs', 'parser'],
				['rs/src/parser.rs', 'rs/src/ast/mod.rs', 'super::ast::Node'],
				['src/index.ts', 'src/store.ts', './store'],
				['src/index.ts', 'src/util/helper.ts', './util/helper'],
				['src/lazy.js', 'src/store.ts', './store'],
				['src/lazy.js', 'src/util/helper.ts', './util/helper.js'],
				['src/util/helper.ts', 'src/store.ts', '../store.js'],
			],
		);
	});

	test('files are ranked by PageRank, ties by path; ranks sum to 1', async () => {
		const { files } = await map();
		assert.deepEqual(
			files.slice(0, 9).map((file) => [file.path, file.importedBy, file.imports, file.definitions]),
			[
				['py/app/utils.py', 3, 0, 1],
				['src/store.ts', 3, 0, 3],
				['rs/src/ast/mod.rs', 2, 0, 1],
				['py/app/core.py', 2, 2, 2],
				['py/app/models/user.py', 1, 1, 1],
				['internal/cart/cart.go', 1, 0, 2],
				['src/util/helper.ts', 2, 1, 1],
				['rs/src/parser.rs', 1, 1, 2],
				[`${JAVA}/model/Order.java`, 1, 0, 1],
			],
		);
		assert.equal(files.length, 20, 'README.md and go.mod are not modules');
		const sum = files.reduce((total, file) => total + file.rank, 0);
		assert.ok(Math.abs(sum - 1) < 1e-5, `ranks sum to ${sum}`);
		const leaves = files.filter((file) => file.importedBy === 0).map((file) => file.rank);
		assert.deepEqual(new Set(leaves), new Set([0.030922]));
	});

	test('outline: files by rank, declarations by references from importers, within the budget', async () => {
		const expected = [
			'Repository map of test:shop at main (aaaaaaa): 20 modules, 18 import links. Files by rank (PageRank over imports); under each, its declarations by how often importing files mention them.',
			'',
			'py/app/utils.py [rank 0.1257, imported by 3]',
			'  def slug(text) [2 refs]',
			'',
			'src/store.ts [rank 0.1058, imported by 3]',
			'  export class Store [1 ref]',
			'  Store › get(key: string): string [1 ref]',
			'',
			'rs/src/ast/mod.rs [rank 0.0815, imported by 2]',
			'  pub struct Node [3 refs]',
		];
		const budget = countTokens(expected.join('\n'));
		const small = await map({ maxTokens: budget });
		assert.equal(small.outline, expected.join('\n'));
		assert.equal(small.tokens, budget);
		const smaller = await map({ maxTokens: budget - 1 });
		assert.equal(smaller.outline, expected.slice(0, -1).join('\n'), 'stops at the first line that does not fit');
		assert.equal(smaller.tokens, countTokens(smaller.outline));
		const large = await map({ maxTokens: 4000 });
		assert.ok(large.outline.startsWith(small.outline), 'a larger budget extends the same outline');
		assert.match(large.outline, /\ninternal\/cart\/cart\.go \[rank 0\.0572, imported by 1\]\n {2}type Item struct \[1 ref\]\n {2}func Total\(items \.\.\.Item\) int \[1 ref\]\n/);
		assert.match(large.outline, /\n {2}Numbers › public static int twice\(int n\) \[1 ref\]\n/);
		assert.doesNotMatch(large.outline, /clear\(\)|unused/, 'unreferenced members and plain constants are left out');
		assert.equal((await map({ maxTokens: 4000 })).outline, large.outline, 'deterministic');
	});

	test('focus paths pull the ranking towards a file', async () => {
		const { files } = await map({ focusPaths: ['src/index.ts'] });
		assert.deepEqual(
			files.slice(0, 3).map((file) => file.path),
			['src/index.ts', 'src/store.ts', 'src/util/helper.ts'],
		);
		assert.equal(files.find((file) => file.path === 'py/app/utils.py')?.rank, 0);
	});

	test('options are checked', async () => {
		await assert.rejects(map({ maxTokens: 8 }), /maxTokens must be an integer >= 16, got 8/);
		await assert.rejects(map({ maxDiagramNodes: 0 }), /maxDiagramNodes must be an integer >= 1/);
	});
});

describe('pageRank', () => {
	test('two files importing a third: the closed-form solution', () => {
		const ranks = pageRank(['a', 'b', 'c'], [
			{ from: 'a', to: 'c', specifier: './c' },
			{ from: 'b', to: 'c', specifier: './c' },
		]);
		// c has no imports, so its rank is spread evenly: a = b = x, c = 1 - 2x,
		// x = 0.15/3 + 0.85 * c / 3  =>  x = (0.05 + 0.85/3) / (1 + 1.7/3)
		const x = (0.05 + 0.85 / 3) / (1 + 1.7 / 3);
		assert.ok(Math.abs(ranks.get('a')! - x) < 1e-10);
		assert.ok(Math.abs(ranks.get('b')! - x) < 1e-10);
		assert.ok(Math.abs(ranks.get('c')! - (1 - 2 * x)) < 1e-10);
	});

	test('a cycle of three shares rank evenly', () => {
		const edges = [
			{ from: 'a', to: 'b', specifier: '' },
			{ from: 'b', to: 'c', specifier: '' },
			{ from: 'c', to: 'a', specifier: '' },
		];
		for (const rank of pageRank(['a', 'b', 'c'], edges).values()) assert.ok(Math.abs(rank - 1 / 3) < 1e-10);
	});
});

describe('Mermaid diagram', () => {
	const file = (path: string, rank: number): RepoMapFile => ({ path, language: 'typescript', rank, importedBy: 0, imports: 0, definitions: 0 });

	test('the best-ranked modules in folded folder boxes, links between drawn modules only', () => {
		const files = [
			file('src/core/deep/store.ts', 0.4),
			file('src/index.ts', 0.3),
			file('main.ts', 0.2),
			file('src/core/"odd"<name>.ts', 0.1),
		];
		const edges = [
			{ from: 'src/index.ts', to: 'src/core/deep/store.ts', specifier: './core/deep/store' },
			{ from: 'main.ts', to: 'src/index.ts', specifier: './src/index' },
			{ from: 'src/core/"odd"<name>.ts', to: 'src/index.ts', specifier: '../index' },
		];
		assert.equal(
			buildMermaid({ files, edges, maxNodes: 3, maxDepth: 1 }),
			[
				'flowchart LR',
				'    %% 3 of 4 modules, 2 of 3 import links',
				'    subgraph d0["src/ · 2 of 3 modules"]',
				'        f0["core/deep/store.ts"]',
				'        f1["index.ts"]',
				'    end',
				'    f2["main.ts"]',
				'    f1 --> f0',
				'    f2 --> f1',
			].join('\n'),
		);
		assert.match(
			buildMermaid({ files, edges, maxNodes: 4, maxDepth: 2 }),
			/subgraph d1\["core\/ · 2 modules"\]\n {12}f3\["#quot;odd#quot;#lt;name#gt;\.ts"\]\n {12}f0\["deep\/store\.ts"\]/,
		);
	});
});
