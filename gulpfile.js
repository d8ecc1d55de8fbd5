// Copies what tsc does not emit into dist/: node icons and codex JSON, credential icons, workflows.
const { src, dest, parallel } = require('gulp');

function nodeAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json'], { encoding: false }).pipe(dest('dist/nodes'));
}

function credentialAssets() {
	return src(['credentials/**/*.svg', 'credentials/**/*.png'], { encoding: false, allowEmpty: true }).pipe(dest('dist/credentials'));
}

function workflows() {
	return src('workflows/*.json', { allowEmpty: true }).pipe(dest('dist/workflows'));
}

exports.build = parallel(nodeAssets, credentialAssets, workflows);
exports.default = exports.build;
