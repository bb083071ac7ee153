import fc from 'fast-check';
import { JsonBytes, jsonBytes, JsonText } from './json-text';

describe(jsonBytes.name, () => {
  it('writes any JSON-like value byte for byte as JSON.stringify does', () => {
    const values = fc.oneof(
      fc.jsonValue(),
      // What JSON.stringify leaves out of objects, writes as null in arrays, or writes through toJSON.
      fc.dictionary(
        fc.string(),
        fc.oneof(
          fc.jsonValue(),
          fc.constant(undefined),
          fc.constant(() => 1),
        ),
      ),
      fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.date({ noInvalidDate: true }))),
      fc.record({ at: fc.date({ noInvalidDate: true }), nested: fc.object() }),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
      }),
    );
  });

  it('writes a JsonText as its text, unparsed, wherever it is in the answer', () => {
    // Not what JSON.stringify would write of the same values: the text is taken as it is.
    const view = '{"id" : "a",  "details": {"n": 1.50}}';
    const answer = {
      items: [JsonText.of(view), JsonText.array([view, view]), JsonText.array([])],
      next: null,
      skipped: undefined,
    };
    expect(jsonBytes(answer).toString('utf8')).toBe(`{"items":[${view},[${view},${view}],[]],"next":null}`);
    expect(jsonBytes(JsonText.of(view)).toString('utf8')).toBe(view);
  });

  it('adds a field, last, to an object written as text, without parsing either', () => {
    const incidents = '[{"id" : "i"}]';
    const withIncidents = (view: string) =>
      jsonBytes(JsonText.withLastField(view, 'incidents', incidents)).toString('utf8');
    expect(withIncidents('{"id":"a","tags":{"b":[]}}')).toBe(`{"id":"a","tags":{"b":[]},"incidents":${incidents}}`);
    expect(withIncidents('{}')).toBe(`{"incidents":${incidents}}`);
    expect(withIncidents('{ }')).toBe(`{ "incidents":${incidents}}`);
    expect(JSON.parse(withIncidents('{"id":"a"}'))).toEqual({ id: 'a', incidents: [{ id: 'i' }] });
  });

  it('writes the text in UTF-8, whatever script it is in', () => {
    const name = JSON.stringify('شارمین میمندی‌نژاد');
    const bytes = jsonBytes({ incidents: JsonText.array([`{"name":${name}}`]) });
    expect(bytes.equals(Buffer.from(`{"incidents":[{"name":${name}}]}`, 'utf8'))).toBe(true);
  });

  it('refuses to be written by JSON.stringify, which would write its pieces instead of its text', () => {
    expect(() => JSON.stringify({ incidents: JsonText.array(['{}']) })).toThrow(/SendsJsonText/);
  });

  it('sends a whole answer already written (JsonBytes) as its very bytes, and JSON.stringify refuses it', () => {
    const written = Buffer.from('{"incidents":[]}', 'utf8');
    expect(jsonBytes(new JsonBytes(written))).toBe(written);
    expect(() => JSON.stringify(new JsonBytes(written))).toThrow(/SendsJsonText/);
  });
});
