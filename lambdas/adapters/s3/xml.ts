/** One element (its name, attributes and content), after an optional declaration: the whole of S3's XML answers. */
const DOCUMENT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)(?:\s[^>]*)?>([\s\S]*)<\/\1>\s*$/;
/** A start, end or empty-element tag: whether it ends, its name, and whether it is empty. */
const TAG = /<(\/?)([A-Za-z_][\w.-]*)(?:\s[^<>]*?)?(\/?)>/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class MalformedXml extends Error {
  constructor(problem: string) {
    super(`S3 answered XML this adapter cannot read: ${problem}`);
    this.name = 'MalformedXml';
  }
}

function character(entity: string): string {
  const named = NAMED_ENTITIES[entity];
  if (named !== undefined) return named;
  const codePoint = /^#x[0-9a-f]{1,6}$/i.test(entity)
    ? parseInt(entity.slice(2), 16)
    : /^#[0-9]{1,7}$/.test(entity)
      ? parseInt(entity.slice(1), 10)
      : NaN;
  if (Number.isNaN(codePoint) || codePoint > 0x10ffff) throw new MalformedXml(`unknown entity &${entity};`);
  return String.fromCodePoint(codePoint);
}

const unescaped = (text: string): string =>
  text.replace(/&([^;&]*)(;?)/g, (whole, entity: string, semicolon: string) => {
    if (!semicolon) throw new MalformedXml(`a bare "&" in "${whole}"`);
    return character(entity);
  });

/** Refuses content whose tags do not nest, or with markup other than tags (comments, CDATA…). */
function checkNesting(content: string): void {
  const open: string[] = [];
  let tags = 0;
  for (const [tag, ending, name, empty] of content.matchAll(TAG)) {
    tags++;
    if (empty) continue;
    if (!ending) open.push(name!);
    else if (open.pop() !== name) throw new MalformedXml(`${tag} ends no element`);
  }
  if (open.length > 0) throw new MalformedXml(`<${open.at(-1)}> never ends`);
  if (content.split('<').length - 1 !== tags) throw new MalformedXml('markup other than elements');
}

/**
 * The little of an XML answer the adapter reads: its root element's name and the text of elements that hold text
 * alone (`<UploadId>`, `<Code>`, `<Message>`). Strict: anything but one root element of nested elements, an element
 * named twice or holding markup, or an unknown entity is refused rather than guessed at.
 */
export class XmlAnswer {
  readonly root: string;
  private readonly content: string;

  constructor(text: string) {
    const document = DOCUMENT.exec(text);
    if (!document) throw new MalformedXml('not one element');
    this.root = document[1]!;
    this.content = document[2]!;
    checkNesting(this.content);
  }

  /** The text of the element `name` (a plain name, no markup), or undefined when there is none. */
  text(name: string): string | undefined {
    const opened = this.content.match(new RegExp(`<${name}[\\s/>]`, 'g'))?.length ?? 0;
    const texts = [...this.content.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))];
    if (opened !== texts.length) throw new MalformedXml(`<${name}> holds more than text`);
    if (texts.length > 1) throw new MalformedXml(`<${name}> appears ${texts.length} times`);
    return texts[0] && unescaped(texts[0][1]!);
  }
}

/** `text` as the content of an element. */
export const escapedXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
