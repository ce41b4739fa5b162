// Every mail fixture of the shared corpus (copied to tests/fixtures/mail): decoded subject,
// From, and attachment names and count, asserted exactly. Attachments are the leaf parts
// mailparser does not take as the body (inline images and unnamed parts included: their
// hashes are evidence too), plus the parts of attached messages. Where the values differ
// from Python's email package (the MANIFEST's reference), a comment says why.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMsgFile } from '../../src/ingest/msg-reader.js';
import { parseMessage } from '../../src/mail/parse.js';

const DIR = new URL('../fixtures/mail/', import.meta.url);

/** [file, subject, "name <address>" of From (null: no From), attachment names]. */
const EXPECTED: [string, string, string | null, string[]][] = [
  ["mailparser/base64encodedroot.eml", "", " <test@example.com>", ["screenshot.png"]],
  ["mailparser/decoderended.eml", "Fwd: fotos", "wwuaof <booewq@uuui.com>", [""]],
  ["mailparser/delivery-status.eml", "Delivery Status Notification (Failure)", " <mailer-daemon@amazonses.com>", [""]],
  ["mailparser/htmllargecallstack.eml", "Kill the HTML parser", " <test@example.com>", []],
  ["mailparser/large_text.eml", "[Bug 381598] Re: ubiquity crashes in ubuntu 9.04 installation", "Brian Murray <brian@ubuntu.com>", []],
  ["mailparser/mixed.eml", "", null, []],
  ["mailparser/nested.eml", "", " <u@example.com>", []],
  // The space between the encoded word and '(…)' is kept (RFC 2047 §6.2 drops only space between two encoded words).
  ["mailparser/nodemailer.eml", "Nodemailer is unicode friendly ✔ (1476358788189)", "Andris Kreata <andris@kreata.ee>", ["", "image.png", "nyan cat ✔.gif", "notes.txt"]],
  ["mailparser/outofmemory.eml", "Cause out of memory error in the mailparser", " <test@example.com>", []],
  ["mailparser/spam.eml", "123.042 Euro pro Jahr GRARANTIERT von einer Bank! KOSTENLOS", "Matilda Klein <noreply@guide-des-vins-de-bourgogne.fr>", []],
  ["postal-mime/arf.eml", "FW: Earn money", " <abusedesk@example.com>", [""]],
  ["postal-mime/bounce.eml", "Undelivered Mail Returned to Sender", "Mail Delivery System <mailer-daemon@messagingengine.com>", [""]],
  ["postal-mime/calendar-event.eml", "Invitation: Test event ⏰ @ Thu Apr 11, 2024 11am - 12pm (GMT+3) (andris@ethereal.email)", "Andris Reinman <andris@postalsys.com>", ["", "invite.ics"]],
  ["postal-mime/mimetorture.eml", "Ryan Finnie's MIME Torture Test v1.0", "Ryan Finnie <rfinnie@domain.dom>", ["foo.gz", "blah.gz", "blah1.gz", "", "htmlfile.html", "smiley-3.png", "dot.gif", "signature.asc", ""]],
  ["postal-mime/mixed.eml", "", null, []],
  ["spamscope-mail-parser/mail_malformed_2.eml", "Delivery failure (abh@netpar.com.br)", " <postmaster@netpar.com.br>", ["DSN57BAC498.txt", ""]],
  ["spamscope-mail-parser/mail_malformed_3.eml", "Ahorre Dinero en su Recibo de Luz", "El Punto de los Frutos & Verdes <smgsiso@yahoo.com.mx>", []],
  ["spamscope-mail-parser/mail_outlook_1.msg", "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz", "NueblingV@w-vwa.de <nueblingv@w-vwa.de>", ["newsletter.png", "spacer.gif", "image004.jpg", "image006.jpg", "image008.jpg"]],
  ["spamscope-mail-parser/mail_test_10.eml", "*** ATTENZIONE *** - Modelli POWER7+ inclusi nella campagna Move To Eight", "Nicoletta Bernasconi <nicoletta_bernasconi@it.ibm.com>", ["", "", "", "Move To Eight ZWEP6227F.pdf"]],
  ["spamscope-mail-parser/mail_test_12.eml", "代开各地增值税发票", "张先生 <baoguan@hotmail.com>", []],
  ["spamscope-mail-parser/mail_test_13.eml", "New Webinar: So, You Have A Disaster... Now What?", "Continuity Insights <info@continuityinsights.com>", []],
  ["spamscope-mail-parser/mail_test_14.eml", "Test", " <example@example.com>", [""]],
  ["spamscope-mail-parser/mail_test_16.eml", "Test spam mail (GTUBE)", "Sender <sender@example.net>", []],
  ["spamscope-mail-parser/mail_test_17.eml", "Transferencia Interbancaria Banca en Línea", "notificaccion-clientes@bbva.mx <notificaccion-clientes@bbva.mx>", []],
  ["spamscope-mail-parser/mail_test_18.eml", "Test for Comma and Name Bugs", "LastßlName, FirstName <comma.name@example.com>", []],
  ["spamscope-mail-parser/mail_test_19.eml", "Test email with email address as display name", "alice@example.com <bob@example.com>", []],
  ["spamscope-mail-parser/mail_test_2.eml", "Bollettino Meteorologico del 29/11/2015", " <meteo@regione.vda.it>", ["intestazione.jpg", "logometeo.jpg", "Bollettino.pdf"]],
  // Python counts the inline text/plain part named message.txt as an attachment; mailparser reads it as body text.
  ["spamscope-mail-parser/mail_test_3.eml", "Hi there", "Ava Oneil <oneil.844@randtelekom.com.tr>", []],
  ["spamscope-mail-parser/mail_test_5.eml", "Je prépare mon été zéro complexe !", "Marina de Carlance <contact@carlance.fr>", ["mailingassets_d68799cd6301c7f5731a3c42946e528bcb78eb84.jpg", "mailingassets_a9ed45ff2645cff7fca702b289bc684b1bc72e2a.png", "mailingassets_0e4def97310df75c2fa6e0db8fe67b79d130b3c3.png", "mailingassets_228b182da05725833a4003dcbd8f6fe67956ad40.png", "mailingassets_4545af8d596bb510a1181c9a3be0460bc5718649.png"]],
  ["spamscope-mail-parser/mail_test_6.eml", "Быстрее вкладывайте в золото!", "Время пришло <noreply@ggg.com>", ["", "", "", ""]],
  ["spamscope-mail-parser/mail_test_8.eml", "Have you ever wanted to land on an Aircraft Carrier", "Helicopter_flight_simulator <helicopter_flight_simulator@moneytrack.top>", []],
  // Python leaves the gb2312 word undecoded; the subject decodes as GBK.
  ["spamscope-mail-parser/mail_test_9.eml", "我把镜头拉近些，你们看看这个是什么屄，这种场合自然少不了内射", "xwfcpggy <zyb@sgis.com.cn>", []],
  ["ruby-mail/attachment_emails/attachment_content_disposition.eml", "testing", " <foo@example.com>", ["api.rb"]],
  ["ruby-mail/attachment_emails/attachment_content_location.eml", "testing", " <foo@example.com>", [""]],
  ["ruby-mail/attachment_emails/attachment_message_rfc822.eml", "testing", " <foo@example.com>", ["ForwardedMessage.eml", "broken.pdf"]],
  ["ruby-mail/attachment_emails/attachment_message_rfc822_inline_image.eml", "test", " <test@example.com>", ["img.png", "Testmail.eml"]],
  ["ruby-mail/attachment_emails/attachment_nonascii_filename.eml", "testing", " <foo@example.com>", ["ciële.txt"]],
  ["ruby-mail/attachment_emails/attachment_only_email.eml", "this message JUST contains an attachment", "Ryan Finnie <rfinnie@domain.dom>", ["blah.gz"]],
  ["ruby-mail/attachment_emails/attachment_pdf.eml", "Another PDF with 🎉 Unicode chars in it 🍿", "Test Tester <xxxx@xxxx.com>", ["broken.pdf"]],
  ["ruby-mail/attachment_emails/attachment_pdf_lf.eml", "Another PDF with 🎉 Unicode chars in it 🍿", "Test Tester <xxxx@xxxx.com>", ["broken.pdf"]],
  ["ruby-mail/attachment_emails/attachment_pdf_non_ascii.eml", "Another PDF with 🎉 Unicode chars in it 🍿", "Test Tester <xxxx@xxxx.com>", ["broken.pdf"]],
  ["ruby-mail/attachment_emails/attachment_pdf_non_ascii_lf.eml", "Another PDF with 🎉 Unicode chars in it 🍿", "Test Tester <xxxx@xxxx.com>", ["broken.pdf"]],
  ["ruby-mail/attachment_emails/attachment_with_base64_encoded_name.eml", "Fwd: Signed email causes file attachments", "xxxxxxxxx xxxxxxx <xxxxxxxxx.xxxxxxx@gmail.com>", ["This is a test.pdf"]],
  // The RFC 2231 name holds a byte (%8A) that is not ISO-2022-JP; it is dropped (Ruby mail shows '?').
  ["ruby-mail/attachment_emails/attachment_with_encoded_name.eml", "Fwd: Signed email causes file attachments", "xxxxxxxxx xxxxxxx <xxxxxxxxx.xxxxxxx@gmail.com>", ["01 Quien Te Dijat. Pitbull.mp3"]],
  ["ruby-mail/attachment_emails/attachment_with_quoted_filename.eml", "Eelanalüüsi päring", "Jeffrey Hardy <jeff@37signals.com>", ["Eelanalüüsi päring.jpg"]],
  ["ruby-mail/attachment_emails/attachment_with_unquoted_name.eml", "testing", " <foo@example.com>", ["This is a test.txt"]],
  // Charset NONE: the ASCII bytes are read as they are.
  ["ruby-mail/error_emails/bad_encoded_subject.eml", "TEST", null, []],
  ["ruby-mail/error_emails/content_transfer_encoding_x_uuencode.eml", "PGP Comments on RTO West Release of Dec. 14", "Lon L. Peters <lpeters@pacifier.com>", ["PGP_Cmts_on_12-14-01_Pkg.doc"]],
  ["ruby-mail/error_emails/encoding_madness.eml", "eBay Bid - 2008 Ford Super Duty F-350 DRW King Ranch Crew Cab 4x4 (156) - Stock# XXXX", " <no-reply@crm.el-example.org>", []],
  ["ruby-mail/error_emails/missing_content_disposition.eml", "Redacted", " <redacted@example.com>", [""]],
  ["ruby-mail/error_emails/multiple_content_types.eml", "Redacted", " <redacted@flashmail.net>", []],
  ["ruby-mail/error_emails/multiple_invalid_content_dispositions.eml", "Redacted", " <redacted@flashmail.net>", [""]],
  ["ruby-mail/error_emails/must_supply_encoding.eml", "Impress your clients with a business phone���", "Biz Phone Systems from EclipseMediaOnline�� <info@here2there-travelers-msgs.net>", []],
  ["ruby-mail/error_emails/new_line_in_to_header.eml", "[Online Lead] Online Lead #1111111", " <l@gcn-example.com>", []],
  ["ruby-mail/multi_charset/japanese.eml", "まみむめも", "Mikel Lindsaar <raasdnil@gmail.com>", []],
  ["ruby-mail/multi_charset/japanese_attachment.eml", "testing", "Mikel Lindsaar <raasdnil@gmail.com>", ["てすと.txt"]],
  ["ruby-mail/multi_charset/japanese_attachment_long_name.eml", "まみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめもまみむめも", "Mikel Lindsaar <mikel@test.lindsaar.net>", ["かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"]],
  ["ruby-mail/multi_charset/japanese_iso_2022.eml", "まみむめも", "Mikel Lindsaar <raasdnil@gmail.com>", []],
  ["ruby-mail/multi_charset/japanese_shift_jis.eml", "test", " <xxxxxxx@docomo.ne.jp>", []],
  ["ruby-mail/multi_charset/ks_c_5601-1987.eml", "test", " <from@example.com>", []],
  ["ruby-mail/multipart_report_emails/multi_address_bounce1.eml", "Undelivered Mail Returned to Sender", "Mail Delivery System <mailer-daemon@lvmail01.ll.com>", [""]],
  ["ruby-mail/multipart_report_emails/multi_address_bounce2.eml", "Undelivered Mail Returned to Sender", "Mail Delivery System <mailer-daemon@lvmail01.ll.com>", [""]],
  ["ruby-mail/multipart_report_emails/multipart_report_multiple_status.eml", "Mail System Error - Returned Mail", "Mail Administrator <postmaster@ci.com>", [""]],
  ["ruby-mail/multipart_report_emails/report_422.eml", "Warning: could not send message for past 8 hours", "Mail Delivery Subsystem <mailer-daemon@tppppp.com.au>", [""]],
  ["ruby-mail/multipart_report_emails/report_530.eml", "Returned mail: see transcript for details", "Mail Delivery Subsystem <mailer-daemon@tttttt.com.au>", [""]],
  ["strelka/test.eml", "Lorem Ipsum", "Foo Bar <foo.bar@example.com>", ["image001.jpg", "test.doc"]],
  ["strelka/test_broken.eml", "", null, []],
  ["strelka/test_email_complex_recipients.eml", "Re: Q1 Sales Report [EXTERNAL]", "Smith, John (Sales) <john.smith+sales@example.com>", []],
  ["strelka/test_email_encoded_headers.eml", "予業通知 - Delivery Notification", "東京支社 <tokyo-office@example.jp>", []],
  ["strelka/test_email_gateway_links.eml", "Gateway Link Test", " <sender@example.com>", []],
  ["strelka/test_email_group_syntax.eml", "Company-wide Announcement", "Newsletter Service <newsletter@example.com>", []],
  ["strelka/test_email_link_stress.eml", "Spring Sale -- Up to 50% Off Everything", "Acme Store <campaigns@acme-store.example.com>", []],
  ["strelka/test_email_malformed_addresses.eml", "Test Malformed Addresses", " <sender@example.com>", []],
  ["strelka/test_email_special_cases.eml", "Delivery Status Notification (Failure)", "Mail Delivery System <mailer-daemon@example.com>", []],
  ["strelka/test_headers.eml", "Test Subject", "Sender Name <sender@external.example>", []],
  ["strelka/test_headers_multihop.eml", "Multi-hop Test", "Marketing <newsletter@marketing.example>", []],
  ["strelka/test_links.eml", "Links Test", " <sender@external.example.com>", []],
];

describe('mail fixtures from the shared corpus', () => {
  it('covers every file listed in SOURCES.tsv', () => {
    const listed = readFileSync(new URL('SOURCES.tsv', DIR), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]!.replace(/^mail\//, ''));
    expect(EXPECTED.map((e) => e[0]).sort()).toEqual(listed.sort());
  });

  for (const [file, subject, from, attachments] of EXPECTED) {
    it(file, async () => {
      const bytes = readFileSync(new URL(file, DIR));
      const m = file.endsWith('.msg') ? parseMsgFile(bytes) : await parseMessage(bytes);
      expect(m.subject).toBe(subject);
      expect(m.from ? `${m.from.name} <${m.from.address}>` : null).toBe(from);
      expect(m.attachments.map((a) => a.filename)).toEqual(attachments);
      expect(m.attachments).toHaveLength(attachments.length);
    });
  }
});
