import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { N8nInstance, ensureHarness, nodeOutput } from './n8n';
import { PROBE_NODE_TYPE, writeProbePackage } from './probe-package';
import { linearWorkflow, manualTrigger, setFields, webhookTrigger } from './workflows';

const probeNode = (greeting: string) => ({
	name: 'Probe',
	type: PROBE_NODE_TYPE,
	typeVersion: 1,
	parameters: { greeting },
});

describe('n8n harness', () => {
	let probeDir: string;
	let n8n: N8nInstance;

	before(() => {
		probeDir = writeProbePackage();
		n8n = new N8nInstance({ harnessDir: ensureHarness(), packageDir: probeDir });
	});

	after(async () => {
		await n8n?.cleanup();
		if (probeDir) rmSync(probeDir, { recursive: true, force: true });
	});

	it('imports workflows and runs them headless', async () => {
		const ids = await n8n.importWorkflows([
			linearWorkflow('smokeSetOnly0001', 'set only', [
				manualTrigger(),
				setFields('Set', { greeting: 'hello', shout: '={{ "hel" + "lo".toUpperCase() }}' }),
			]),
			linearWorkflow('smokeProbe000001', 'probe', [
				manualTrigger(),
				setFields('Set', { name: 'Zed' }),
				probeNode('howdy'),
			]),
			linearWorkflow('smokeProbeFail01', 'probe fails', [manualTrigger(), probeNode('fail')]),
		]);
		assert.deepEqual(ids, ['smokeSetOnly0001', 'smokeProbe000001', 'smokeProbeFail01']);

		const setOnly = await n8n.execute('smokeSetOnly0001');
		assert.equal(setOnly.status, 'success');
		assert.equal(setOnly.error, null);
		assert.deepEqual(nodeOutput(setOnly, 'Set'), [{ greeting: 'hello', shout: 'helLO' }]);

		const probe = await n8n.execute('smokeProbe000001');
		assert.equal(probe.status, 'success');
		assert.deepEqual(nodeOutput(probe, 'Probe'), [{ name: 'Zed', probe: 'howdy from probe' }]);

		const failed = await n8n.execute('smokeProbeFail01');
		assert.equal(failed.status, 'error');
		assert.equal(failed.error?.message, 'probe was asked to fail');
		assert.deepEqual(nodeOutput(failed, 'Probe'), []);
	});

	it('serves a published webhook workflow over HTTP', async () => {
		const id = await n8n.importWorkflow(
			linearWorkflow('smokeWebhook0001', 'webhook', [
				webhookTrigger('e2e-smoke'),
				setFields('Set', { greeting: '={{ "hi " + $json.body.name }}' }),
				probeNode('served'),
			]),
		);
		await n8n.publish(id);
		await n8n.start();
		const response = await fetch(n8n.webhookUrl('e2e-smoke'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Ada' }),
		});
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), { greeting: 'hi Ada', probe: 'served from probe' });
		await n8n.stop();
		assert.throws(() => n8n.webhookUrl('e2e-smoke'), /not running/);
	});
});
