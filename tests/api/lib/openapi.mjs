// Holds every response the tests receive to openapi.yaml: the operation is
// found by method and path template, the status must be documented, and a
// JSON body must match its schema (JSON Schema 2020-12, as OpenAPI 3.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { SOURCE } from './env.mjs';

export const spec = YAML.parse(readFileSync(join(SOURCE, 'openapi.yaml'), 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'openapi');

const compiled = new Map();

function escapePointer(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

// The path template of spec matching a concrete path, or undefined.
export function findTemplate(path) {
  for (const tpl of Object.keys(spec.paths)) {
    const re = new RegExp('^' + tpl.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(path)) return tpl;
  }
  return undefined;
}

function resolve(obj) {
  while (obj && obj.$ref) {
    const parts = obj.$ref.replace(/^#\//, '').split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    obj = parts.reduce((o, k) => o[k], spec);
  }
  return obj;
}

// Throws when the response does not conform. Non-API paths (the SPA) are
// not part of the contract.
export function validateResponse(method, path, status, contentType, body) {
  const tpl = findTemplate(path);
  if (!tpl) {
    if (path.startsWith('/api/')) {
      // Unknown API routes must still answer with the error envelope.
      validateSchema('#/components/schemas/Error', body, `${method} ${path}`);
    }
    return;
  }
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  const op = spec.paths[tpl][m];
  if (!op) {
    if (status !== 405 && status !== 204) {
      throw new Error(`${method} ${tpl} is not in openapi.yaml but answered ${status}`);
    }
    if (status === 405) validateSchema('#/components/schemas/Error', body, `${method} ${path}`);
    return;
  }
  const resp = op.responses[String(status)] ?? op.responses.default;
  if (!resp) {
    throw new Error(`${method} ${tpl} answered ${status}, which openapi.yaml does not document`);
  }
  const r = resolve(resp);
  if (!r.content) {
    if (body !== undefined && body !== '') {
      throw new Error(`${method} ${tpl} ${status} has a body but openapi.yaml documents none`);
    }
    return;
  }
  const documented = Object.keys(r.content);
  if (!documented.includes('application/json')) {
    // A non-JSON body (a CSV export): the media type must be the documented one.
    // "*/*": any media type (a document's bytes, as stored).
    if (!documented.some((t) => t === '*/*' || (contentType ?? '').startsWith(t))) {
      throw new Error(`${method} ${tpl} ${status} answered ${contentType}, not ${documented.join(' or ')}`);
    }
    return;
  }
  if (!contentType || !contentType.startsWith('application/json')) {
    throw new Error(`${method} ${tpl} ${status} answered ${contentType}, not JSON`);
  }
  const ptr = `#/paths/${escapePointer(tpl)}/${m}/responses/${status in op.responses ? status : 'default'}`;
  const schemaPtr = resp.$ref
    ? `${resp.$ref}/content/application~1json/schema`
    : `${ptr}/content/application~1json/schema`;
  validateSchema(schemaPtr, body, `${method} ${tpl} ${status}`);
}

export function validateSchema(pointer, body, what) {
  let v = compiled.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `openapi${pointer}` });
    compiled.set(pointer, v);
  }
  if (!v(body)) {
    throw new Error(`${what}: response does not match openapi.yaml: ` +
      ajv.errorsText(v.errors, { separator: '; ' }) + `\nbody: ${JSON.stringify(body).slice(0, 800)}`);
  }
}
