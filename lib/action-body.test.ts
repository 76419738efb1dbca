import { describe, expect, it } from 'vitest';
import { actionBodyProblem } from './action-body';

const BOUNDARY = '----respite1234';

function multipart(parts: [string, string | Blob][]): FormData {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  return form;
}

/** A request whose body is encoded by the platform, as a browser would (FormData → multipart). */
function formRequest(form: FormData) {
  return new Request('http://127.0.0.1/cases/1', { method: 'POST', headers: { 'next-action': 'x' }, body: form });
}

function rawRequest(contentType: string | null, body: string | Uint8Array<ArrayBuffer>) {
  const headers: Record<string, string> = { 'next-action': 'x' };
  if (contentType !== null) headers['content-type'] = contentType;
  return new Request('http://127.0.0.1/cases/1', { method: 'POST', headers, body });
}

const GOOD_MULTIPART =
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_1_note"\r\n\r\n打电话\r\n` +
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"\r\n\r\n[{"status":"idle"},"$K1"]\r\n--${BOUNDARY}--\r\n`;

describe('server-action bodies the decoder can read', () => {
  it('passes what a browser sends for a form: [state, "$K1"] and the fields', async () => {
    const form = multipart([
      ['_1_caseId', '12'],
      ['_1_note', '$not a reference, a value'],
      ['_1_file', new Blob([new Uint8Array(1024)], { type: 'image/png' })],
      ['0', '[{"status":"error","message":"x","values":{"a":"$$escaped"}},"$K1"]'],
    ]);
    expect(await actionBodyProblem(formRequest(form))).toBeNull();
  });

  it('passes a hand-written multipart body and a plain JSON list', async () => {
    expect(await actionBodyProblem(rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, GOOD_MULTIPART))).toBeNull();
    expect(await actionBodyProblem(rawRequest('text/plain;charset=UTF-8', '[]'))).toBeNull();
    expect(await actionBodyProblem(rawRequest('text/plain;charset=UTF-8', '[{"a":[1]},"$0:0:a"]'))).toBeNull();
    expect(await actionBodyProblem(rawRequest('text/plain;charset=UTF-8', '[{"status":"idle"},123,"$undefined","$D2025-01-01T00:00:00.000Z","$n12345678901234567890","$-0","$NaN","$Infinity"]'))).toBeNull();
  });

  it('passes references to parts that are there (a deduplicated object, a Map)', async () => {
    const form = multipart([
      ['1', '[["k","v"]]'],
      ['0', '[{"a":{"b":1},"c":"$0:0:a"},"$Q1"]'],
    ]);
    expect(await actionBodyProblem(formRequest(form))).toBeNull();
  });
});

describe('server-action bodies refused before Next decodes them', () => {
  const cases: [string, Request, RegExp][] = [
    ['multipart without a boundary', rawRequest('multipart/form-data', GOOD_MULTIPART), /multipart/],
    ['multipart with another boundary', rawRequest('multipart/form-data; boundary=not-the-one', GOOD_MULTIPART), /multipart/],
    ['multipart cut short', rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, GOOD_MULTIPART.slice(0, GOOD_MULTIPART.length / 2)), /multipart/],
    ['multipart without its end', rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, GOOD_MULTIPART.slice(0, -10)), /multipart/],
    ['an empty multipart body', rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, ''), /multipart/],
    ['multipart of garbage', rawRequest(`multipart/form-data; boundary=${BOUNDARY}`, new Uint8Array(2048).fill(7)), /multipart/],
    ['text that is not JSON', rawRequest('text/plain;charset=UTF-8', '{{{ not json'), /not JSON/],
    ['no content type', rawRequest(null, 'caseId=1'), /not JSON/],
    ['octet-stream', rawRequest('application/octet-stream', new Uint8Array([0xff, 0xfe, 0x00, 0x7b])), /not JSON/],
    ['a multipart body with a content type Next does not take for multipart', rawRequest(`Multipart/Form-Data; boundary=${BOUNDARY}`, GOOD_MULTIPART), /not JSON/],
    ['JSON that is not a list', rawRequest('application/json', '{"caseId":"1"}'), /not a list/],
    ['a number', rawRequest('text/plain', '42'), /not a list/],
    ['null', rawRequest('text/plain', 'null'), /not a list/],
    ['a string', rawRequest('text/plain', '"text"'), /not a list/],
    ['a form reference alone', rawRequest('text/plain', '"$K1"'), /not a list/],
    ['no root part', formRequest(multipart([['_1_caseId', '1']])), /no root part/],
    ['a root part that is a file', formRequest(multipart([['0', new Blob(['[]'])]])), /no root part/],
    ['an unknown reference', formRequest(multipart([['0', '["$@99","$Q5"]']])), /not there/],
    ['a model reference with no part', rawRequest('text/plain', '["$1"]'), /not there/],
    ['a prototype-chain reference', formRequest(multipart([['0', '["$1:constructor:constructor"]'], ['1', '{"then":"$1:__proto__:then"}']])), /prototype/],
    ['a prototype-chain reference in a part', formRequest(multipart([['0', '["$1"]'], ['1', '{"then":"$1:__proto__:then"}']])), /prototype/],
    ['a server reference', formRequest(multipart([['0', '["$h1"]'], ['1', '{"id":"x","bound":null}']])), /server reference/],
    ['a referenced part that is not JSON', formRequest(multipart([['0', '["$1"]'], ['1', '{nope']])), /not JSON/],
    ['a BigInt that is not one', rawRequest('text/plain', '["$nfoo"]'), /not a number/],
    ['a BigInt past 300 digits', rawRequest('text/plain', `["$n${'9'.repeat(301)}"]`), /not a number/],
    ['a lone dollar', rawRequest('text/plain', '["$"]'), /not a reference/],
    ['an unknown tag', rawRequest('text/plain', '["$Zfoo"]'), /not a reference/],
  ];
  for (const [what, request, reason] of cases) {
    it(what, async () => {
      expect(await actionBodyProblem(request)).toMatch(reason);
    });
  }

  it('walks a long list without overflowing the stack', async () => {
    const list = `[${'0,'.repeat(1_000_000)}"$@99"]`;
    expect(await actionBodyProblem(rawRequest('text/plain', list))).toMatch(/not there/);
  });
});
