import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileFilter } from '../../lib/filter';

const filter = new FileFilter();

describe('FileFilter.checkContent', () => {
	it('returns the UTF-8 text of a text file', () => {
		const text = 'export const greeting = "héllo wörld ✓";\n';
		assert.deepEqual(filter.checkContent('a.ts', Buffer.from(text)), { text });
	});

	it('drops a UTF-8 byte order mark', () => {
		const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\n')]);
		assert.deepEqual(filter.checkContent('a.py', content), { text: 'x = 1\n' });
	});

	it('skips content with a NUL byte in the first 8 KB', () => {
		const content = Buffer.concat([Buffer.from('PK'), Buffer.from([3, 4, 0, 0]), Buffer.alloc(50, 65)]);
		assert.deepEqual(filter.checkContent('data.txt', content), {
			path: 'data.txt',
			reason: 'binary',
			detail: 'NUL byte at offset 4',
		});
	});

	it('ignores a NUL byte after the first 8 KB', () => {
		const content = Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from([0])]);
		assert.equal('text' in filter.checkContent('a.txt', content), true);
	});

	it('skips content that is mostly invalid UTF-8', () => {
		const bytes = Buffer.alloc(400);
		for (let i = 0; i < bytes.length; i++) bytes[i] = i % 2 === 0 ? 0xff : 0x41;
		assert.deepEqual(filter.checkContent('blob.dat', bytes), {
			path: 'blob.dat',
			reason: 'binary',
			detail: '200 invalid UTF-8 sequences',
		});
	});

	it('keeps text with a rare invalid byte (e.g. one Latin-1 character)', () => {
		const content = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.alloc(100, 'x')]);
		assert.equal('text' in filter.checkContent('notes.txt', content), true);
	});

	it('skips empty and whitespace-only files', () => {
		assert.deepEqual(filter.checkContent('e.ts', Buffer.alloc(0)), {
			path: 'e.ts',
			reason: 'empty',
			detail: 'no bytes',
		});
		assert.deepEqual(filter.checkContent('w.ts', Buffer.from(' \n\t\n')), {
			path: 'w.ts',
			reason: 'empty',
			detail: 'whitespace only',
		});
	});

	it('skips content over the size limit', () => {
		const small = new FileFilter({ maxFileBytes: 4 });
		assert.deepEqual(small.checkContent('a.ts', Buffer.from('12345')), {
			path: 'a.ts',
			reason: 'too-large',
			detail: '5 bytes > limit 4',
		});
	});

	it('skips the whole file when content holds a secret, naming rule and line only', () => {
		const key = ['AKIA', 'Z7QX3M4RTN5PLK2W'].join('');
		const text = `import boto3\n\nclient = boto3.client(\n    's3', aws_access_key_id='${key}')\n`;
		const result = filter.checkContent('deploy/s3.py', Buffer.from(text));
		assert.deepEqual(result, {
			path: 'deploy/s3.py',
			reason: 'secret-content',
			detail: 'rule aws-access-key-id at line 4',
		});
	});
});
