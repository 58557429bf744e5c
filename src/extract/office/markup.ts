/** The HTML that office readers write for the HTML reader: text escaped, nothing else. */
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
