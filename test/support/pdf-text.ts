import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What an independent PDF parser (pdfjs) reads in a PDF, one space between runs of text. */
export async function pdfText(bytes: Buffer | Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const content = await (await pdf.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + ' ';
  }
  return text.replace(/\s+/g, ' ');
}

/** Whether the PDF says it is tagged (MarkInfo /Marked true): the structure tree is there. */
export async function pdfIsTagged(bytes: Buffer | Uint8Array): Promise<boolean> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  return (await pdf.getMarkInfo())?.Marked === true;
}
