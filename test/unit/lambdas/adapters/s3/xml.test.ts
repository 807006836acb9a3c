import { escapedXml, MalformedXml, XmlAnswer } from '../../../../../lambdas/adapters/s3/xml';

const INITIATED = `<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>registry</Bucket>
  <Key>results/01.csv</Key>
  <UploadId>VXBsb2FkIElE&amp;&lt;&#x41;&#66;&gt;&quot;&apos;</UploadId>
</InitiateMultipartUploadResult>`;

describe('reading S3’s XML answers', () => {
  test('the root element, and the text of an element with its entities resolved', () => {
    const answer = new XmlAnswer(INITIATED);
    expect(answer.root).toBe('InitiateMultipartUploadResult');
    expect(answer.text('UploadId')).toBe('VXBsb2FkIElE&<AB>"\'');
    expect(answer.text('Key')).toBe('results/01.csv');
  });

  test('an element that is not there has no text', () => {
    expect(new XmlAnswer('<Error><Code>SlowDown</Code></Error>').text('Message')).toBeUndefined();
  });

  test.each([
    ['no XML at all', '<html>Bad gateway', 'UploadId'],
    ['two root elements', '<Error></Error><Error></Error>', 'Code'],
    ['an element that never ends', '<Error><Code>A</Error>', 'Code'],
    ['a CDATA section', '<Error><Code><![CDATA[A]]></Code></Error>', 'Code'],
    ['an element named twice', '<Error><Code>A</Code><Code>B</Code></Error>', 'Code'],
    ['an element holding markup', '<Error><Code><b>A</b></Code></Error>', 'Code'],
    ['an unknown entity', '<Error><Code>A&nbsp;B</Code></Error>', 'Code'],
    ['a bare ampersand', '<Error><Code>A & B</Code></Error>', 'Code'],
  ])('%s is refused, not guessed at', (_label, xml, element) => {
    expect(() => new XmlAnswer(xml).text(element)).toThrow(MalformedXml);
  });

  test('text is escaped for an element', () => {
    expect(escapedXml('"a" & <b>')).toBe('"a" &amp; &lt;b&gt;');
  });
});
