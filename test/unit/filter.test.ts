import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileFilter } from '../../lib/filter';
import type { TreeEntry } from '../../lib/types';

const entry = (path: string, size = 100, mode = '100644'): TreeEntry => ({
	path,
	blobSha: 'a'.repeat(40),
	size,
	mode,
});
const reasonOf = (filter: FileFilter, path: string, size?: number) =>
	filter.checkEntry(entry(path, size))?.reason ?? null;

describe('FileFilter.checkEntry defaults', () => {
	const filter = new FileFilter();

	it('keeps ordinary source files', () => {
		for (const path of ['src/index.ts', 'README.md', 'lib/build_utils.py', 'cmd/main.go', '.github/ci.yml']) {
			assert.equal(filter.checkEntry(entry(path)), null, path);
		}
	});

	it('skips every default-excluded folder, at the root and nested', () => {
		const folders = ['node_modules', 'vendor', 'third_party', 'dist', 'build', 'out', 'target', '.git'];
		for (const folder of [...folders, '__pycache__', '.venv', 'coverage']) {
			assert.deepEqual(filter.checkEntry(entry(`${folder}/x.js`)), {
				path: `${folder}/x.js`,
				reason: 'default-excluded',
				detail: `inside ${folder}/`,
			});
			assert.equal(reasonOf(filter, `packages/a/${folder}/deep/y.py`), 'default-excluded', folder);
		}
	});

	it('does not treat files named like excluded folders as excluded', () => {
		assert.equal(reasonOf(filter, 'src/build.ts'), null);
		assert.equal(reasonOf(filter, 'docs/vendor.md'), null);
	});

	it('skips every lock file', () => {
		const locks = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock', 'go.sum'];
		for (const name of [...locks, 'poetry.lock', 'composer.lock', 'Gemfile.lock', 'Pipfile.lock']) {
			assert.deepEqual(filter.checkEntry(entry(`app/${name}`)), {
				path: `app/${name}`,
				reason: 'default-excluded',
				detail: 'lock file',
			});
		}
	});

	it('skips minified and generated files', () => {
		const generated = ['web/app.min.js', 'web/site.min.css', 'web/app.js.map', 'api/user.pb.go'];
		for (const path of [...generated, 'proto/user_pb2.py', 'src/schema.generated.ts']) {
			assert.deepEqual(filter.checkEntry(entry(path)), {
				path,
				reason: 'default-excluded',
				detail: 'minified or generated file',
			});
		}
	});

	it('skips binary file types, whatever the case of the extension', () => {
		const binaries = ['logo.png', 'photo.JPG', 'font.woff2', 'release.tar.gz', 'app.exe', 'lib.so'];
		for (const path of [...binaries, 'clip.mp4', 'manual.pdf', 'module.wasm', 'model.onnx']) {
			assert.equal(reasonOf(filter, `assets/${path}`), 'default-excluded', path);
		}
		assert.equal(filter.checkEntry(entry('a/logo.PNG'))?.detail, 'binary file type .png');
	});

	it('skips symlinks', () => {
		assert.deepEqual(filter.checkEntry(entry('src/link.ts', 10, '120000')), {
			path: 'src/link.ts',
			reason: 'symlink',
		});
		assert.equal(filter.checkEntry(entry('bin/run.sh', 10, '100755')), null);
	});

	it('skips files over 1 MiB by default', () => {
		assert.equal(reasonOf(filter, 'src/big.ts', 1024 * 1024), null);
		assert.deepEqual(filter.checkEntry(entry('src/big.ts', 1024 * 1024 + 1)), {
			path: 'src/big.ts',
			reason: 'too-large',
			detail: '1048577 bytes > limit 1048576',
		});
	});
});

describe('FileFilter.checkEntry options', () => {
	it('requires a match of an include glob when any are given', () => {
		const filter = new FileFilter({ include: ['src/**/*.ts', 'docs/**'] });
		assert.equal(reasonOf(filter, 'src/a/b.ts'), null);
		assert.equal(reasonOf(filter, 'docs/guide/intro.md'), null);
		assert.deepEqual(filter.checkEntry(entry('scripts/x.ts')), {
			path: 'scripts/x.ts',
			reason: 'not-included',
			detail: 'matches no include glob',
		});
	});

	it('matches dot folders and dot files with globs', () => {
		const filter = new FileFilter({ include: ['**/*.yml'] });
		assert.equal(reasonOf(filter, '.github/workflows/ci.yml'), null);
	});

	it('skips paths matching an exclude glob and names the glob', () => {
		const filter = new FileFilter({ exclude: ['**/*.test.ts', 'fixtures/**'] });
		assert.deepEqual(filter.checkEntry(entry('src/a.test.ts')), {
			path: 'src/a.test.ts',
			reason: 'excluded-by-glob',
			detail: 'matches **/*.test.ts',
		});
		assert.equal(reasonOf(filter, 'fixtures/data.json'), 'excluded-by-glob');
		assert.equal(reasonOf(filter, 'src/a.ts'), null);
	});

	it('lets exclude win over include', () => {
		const filter = new FileFilter({ include: ['src/**'], exclude: ['src/gen/**'] });
		assert.equal(reasonOf(filter, 'src/gen/a.ts'), 'excluded-by-glob');
	});

	it('turns default excludes off', () => {
		const filter = new FileFilter({ useDefaultExcludes: false });
		assert.equal(reasonOf(filter, 'node_modules/x/index.js'), null);
		assert.equal(reasonOf(filter, 'package-lock.json'), null);
		assert.equal(reasonOf(filter, 'logo.png'), null);
	});

	it('uses a custom size limit', () => {
		const filter = new FileFilter({ maxFileBytes: 10 });
		assert.equal(reasonOf(filter, 'a.ts', 10), null);
		assert.equal(reasonOf(filter, 'a.ts', 11), 'too-large');
	});
});
