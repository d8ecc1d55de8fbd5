#!/bin/sh
# One-shot setup of n8n's database, run by the `n8n-setup` service before the main process starts:
# creates or updates the RepoMind Chroma and MySQL credentials from the environment and imports the
# prebuilt workflows that are not there yet (existing ones, possibly edited, are left alone).
set -eu
PACKAGE_DIR=${REPOMIND_PACKAGE_DIR:-/home/node/.n8n/nodes/node_modules/n8n-nodes-repomind}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
node -e '
const env = process.env;
const credentials = [
	{ id: "repomindChroma01", name: "RepoMind Chroma", type: "repoMindChromaApi",
		data: { url: env.REPOMIND_CHROMA_URL, authType: "none", tenant: "default_tenant", database: "default_database" } },
	{ id: "repomindMySql001", name: "RepoMind MySQL", type: "repoMindMySql",
		data: { host: env.REPOMIND_MYSQL_HOST, port: Number(env.REPOMIND_MYSQL_PORT || 3306), user: env.REPOMIND_MYSQL_USER, password: env.REPOMIND_MYSQL_PASSWORD, database: env.REPOMIND_MYSQL_DATABASE, ssl: false } },
];
if (env.REPOMIND_WORKER_URL) credentials.push({ id: "repomindWorker001", name: "RepoMind Embeddings Worker", type: "repoMindEmbeddingsWorkerApi", data: { url: env.REPOMIND_WORKER_URL, apiKey: env.REPOMIND_WORKER_API_KEY || "" } });
require("fs").writeFileSync(process.argv[1], JSON.stringify(credentials), { mode: 0o600 });
' "$WORK/credentials.json"
n8n import:credentials --input="$WORK/credentials.json"
EXISTING=$(n8n list:workflow 2>/dev/null | cut -d'|' -f1)
mkdir "$WORK/workflows"
for file in "$PACKAGE_DIR"/dist/workflows/*.json; do
	id=$(node -e 'process.stdout.write(String(require(process.argv[1]).id))' "$file")
	if printf '%s\n' "$EXISTING" | grep -qx "$id"; then echo "workflow $id already imported"; else cp "$file" "$WORK/workflows/"; fi
done
if [ -n "$(ls "$WORK/workflows")" ]; then n8n import:workflow --separate --input="$WORK/workflows"; fi
echo "RepoMind setup done"
