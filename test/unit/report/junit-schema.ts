// JUnit files checked against the common JUnit schema (test/fixtures/junit/junit.xsd) by xmllint (libxml2-utils,
// installed by scripts/setup-host.sh --test), and read back through XPath as a CI system would read them.
import { execa } from 'execa';
import { join } from 'node:path';

export const JUNIT_XSD = join(import.meta.dirname, '../../fixtures/junit/junit.xsd');

/** xmllint's verdict on a JUnit document: ok, or its messages. */
export async function validateJUnit(xml: string): Promise<{ ok: boolean; messages: string }> {
  const r = await execa('xmllint', ['--noout', '--schema', JUNIT_XSD, '-'], { input: xml, reject: false });
  return { ok: r.exitCode === 0, messages: r.stderr };
}

/** The string value of an XPath expression over the document, as xmllint computes it. */
export async function xpath(xml: string, expr: string): Promise<string> {
  // xmllint ends its answer with one newline of its own
  return (await execa('xmllint', ['--xpath', expr, '-'], { input: xml, stripFinalNewline: false })).stdout.replace(
    /\n$/,
    '',
  );
}
