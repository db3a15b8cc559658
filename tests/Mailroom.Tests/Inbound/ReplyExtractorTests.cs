using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

/// <summary>One rule of <see cref="ReplyExtractor"/> per test: what a reader sees of a reply.</summary>
public class ReplyExtractorTests
{
    private const string Reply = "Sounds good, see you then.";

    [Theory]
    [InlineData("On Tue, Mar 1, 2016 at 6:02 PM, Some One <some@one.org> wrote:")]
    [InlineData("On 10/12/15 12:30, Jeff Atwood wrote:")]
    [InlineData("Le 4 janv. 2016 19:03, \"Neil Lalonde\" <info@discourse.org> a écrit :")]
    [InlineData("Am 18.09.2013 um 16:24 schrieb codinghorror <info@discourse.org>:")]
    [InlineData("Max Mustermann <max@example.org> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:")]
    [InlineData("Op 24 aug. 2013 om 16:48 heeft ven88 via Discourse Meta <info@discourse.org> het volgende geschreven:")]
    [InlineData("Op 10 dec. 2015 18:35 schreef \"Arpit Jalan\" <info@discourse.org>:")]
    [InlineData("El jueves, 21 de noviembre de 2013, codinghorror escribió:")]
    [InlineData("Il giorno 15 mag 2017, alle ore 10:00, Mario Rossi <mario@example.it> ha scritto:")]
    [InlineData("Em seg, 27 de jul de 2015 17:13, Neil Lalonde <info@discourse.org> escreveu:")]
    [InlineData("Dnia 14 lip 2015 o godz. 00:25 Michael Downey <info@discourse.org> napisał(a):")]
    [InlineData("在 2016年3月3日，下午5:21，Some One <some@one.org> 写道：")]
    [InlineData("2016-03-03 17:21 GMT+01:00 Some One <some@one.org>:")]
    public void QuoteHeader_AndTheQuoteAfterIt_AreFoldedAway(string header)
    {
        var reply = ReplyExtractor.FromText($"{Reply}\n\n{header}\n\n> Shall we meet at noon?\n> Bob\n");

        Assert.Equal(Reply, reply.Visible);
        Assert.Contains(header, reply.Quoted, StringComparison.Ordinal);
        Assert.Contains("> Shall we meet at noon?", reply.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void QuoteHeader_WrappedOverTwoLines_IsRecognised()
    {
        var text = $"{Reply}\n\nOn Wed, Oct 8, 2014 at 10:46 AM, A Very Long Name Indeed <someone.with.a.long.address@example.org>\nwrote:\n\n> Shall we meet?\n";

        var reply = ReplyExtractor.FromText(text);

        Assert.Equal(Reply, reply.Visible);
        Assert.DoesNotContain("wrote:", reply.Visible, StringComparison.Ordinal);
    }

    [Fact]
    public void QuoteHeader_WithoutQuotePrefixes_CutsEverythingAfterIt()
    {
        var reply = ReplyExtractor.FromText($"{Reply}\n\nOn Mon, Feb 1, 2016 at 4:58 AM, Some One <some@one.org> wrote:\n\nThe earlier mail, not quoted.\n");

        Assert.Equal(Reply, reply.Visible);
    }

    [Fact]
    public void OriginalMessageBanner_CutsTheQuotedMail()
    {
        var reply = ReplyExtractor.FromText($"{Reply}\n\n-----Original Message-----\nFrom: Bob\nThe earlier mail.\n");

        Assert.Equal(Reply, reply.Visible);
    }

    [Fact]
    public void OutlookHeaderBlock_CutsTheQuotedMail()
    {
        var text = $"{Reply}\n\nFrom: Bob Smith [mailto:bob@example.org]\nSent: Thursday, February 09, 2012 1:36 PM\nTo: Alice\nSubject: Lunch\n\nShall we meet?\n";

        Assert.Equal(Reply, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void OutlookHeaderBlock_InFrench_CutsTheQuotedMail()
    {
        var text = $"{Reply}\n\nDe : Bob Smith <bob@example.org>\nEnvoyé : jeudi 9 février 2012 13:36\nÀ : Alice\nObjet : Déjeuner\n\nOn se voit ?\n";

        Assert.Equal(Reply, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void UnderscoreSeparator_BeforeFrom_CutsTheQuotedMail()
    {
        var text = $"{Reply}\n________________________________\nFrom: Bob Smith <bob@example.org>\nSent: Friday, 23 March 2012 5:08 p.m.\n\nShall we meet?\n";

        Assert.Equal(Reply, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void SignatureDelimiter_DropsTheSignature()
    {
        var reply = ReplyExtractor.FromText($"{Reply}\n\n-- \nAlice Example\nExample Corp, +1 555 0100\n");

        Assert.Equal(Reply, reply.Visible);
        Assert.Contains("Alice Example", reply.Quoted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sent from my iPhone")]
    [InlineData("Sent from my BlackBerry")]
    [InlineData("Sent from my BlackBerry 10 smartphone.")]
    [InlineData("Envoyé de mon iPhone")]
    [InlineData("Envoyé depuis mon iPhone")]
    [InlineData("Von meinem iPhone gesendet")]
    [InlineData("Get Outlook for iOS")]
    [InlineData("Get Outlook for Android<https://aka.ms/ghei36>")]
    [InlineData("Sent from Mail for Windows")]
    [InlineData("Sent from my Galaxy, please excuse typos.")]
    [InlineData("Sent from Yahoo Mail on Android")]
    public void MobileSignature_IsDropped(string signature)
    {
        Assert.Equal(Reply, ReplyExtractor.FromText($"{Reply}\n\n{signature}\n").Visible);
    }

    [Fact]
    public void SentenceStartingWithSentFrom_IsNotASignature()
    {
        var text = $"{Reply}\n\nSent from my desk, which is much easier than my phone.";

        Assert.Equal(text, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void DashNameSignOff_AtTheEnd_IsDropped()
    {
        Assert.Equal(Reply, ReplyExtractor.FromText($"{Reply}\n\n-Alice\n").Visible);
    }

    [Fact]
    public void ReplyAboveThisLineMarker_CutsTheNotification()
    {
        var text = $"{Reply}\n\n## Please type your reply above this line. ##\n\nBob posted in Lunch: shall we meet?\n";

        Assert.Equal(Reply, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void TrailingQuote_IsRemoved_ButALeadingOneStays()
    {
        Assert.Equal(Reply, ReplyExtractor.FromText($"{Reply}\n\n> Shall we meet?\n> Bob").Visible);
        Assert.Equal($"> Shall we meet?\n\n{Reply}", ReplyExtractor.FromText($"> Shall we meet?\n\n{Reply}").Visible);
    }

    [Fact]
    public void InterleavedInlineReplies_AreKept()
    {
        var text = "See my answers below.\n\nOn Tue, Mar 1, 2016 at 6:02 PM, Bob <bob@example.org> wrote:\n"
            + "> Shall we meet at noon?\n\nYes, noon works.\n\n> At the usual place?\n\nNo, the new one on Main Street.\n\n"
            + "> Bob\n";

        var reply = ReplyExtractor.FromText(text);

        Assert.Equal(
            "See my answers below.\n\n> Shall we meet at noon?\n\nYes, noon works.\n\n> At the usual place?\n\n"
            + "No, the new one on Main Street.",
            reply.Visible);
        Assert.Contains("Bob <bob@example.org> wrote:", reply.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void BottomPosting_KeepsTheTextBelowTheQuote()
    {
        var text = $"On Tue, Mar 1, 2016 at 6:02 PM, Bob <bob@example.org> wrote:\n> Shall we meet at noon?\n\n{Reply}";

        Assert.Equal(Reply, ReplyExtractor.FromText(text).Visible);
    }

    [Fact]
    public void OnlyAQuoteUnderAnAttribution_LeavesNothingVisible()
    {
        var reply = ReplyExtractor.FromText("On Tue, Mar 1, 2016 at 6:02 PM, Bob <bob@example.org> wrote:\n> Shall we meet?\n");

        Assert.Equal("", reply.Visible);
        Assert.Contains("> Shall we meet?", reply.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void NewMessage_IsUnchanged_AndNothingIsQuoted()
    {
        var text = "Hello all,\n\nThe build is green again.\nThanks, Alice";

        var reply = ReplyExtractor.FromText(text);

        Assert.Equal(text, reply.Visible);
        Assert.Equal("", reply.Quoted);
    }

    [Fact]
    public void CrLfAndSurroundingBlankLines_AreNormalised()
    {
        Assert.Equal("Line one\nLine two", ReplyExtractor.FromText("\r\n\r\nLine one\r\nLine two\r\n\r\n").Visible);
    }

    [Fact]
    public void TextOverHalfAMegabyte_IsShownWhole()
    {
        var text = string.Join("\n", Enumerable.Repeat("On the road again with 2 friends", 20_000)) + "\n> quoted";

        var reply = ReplyExtractor.FromText(text);

        Assert.Equal(text, reply.Visible);
        Assert.Equal("", reply.Quoted);
    }

    [Fact]
    public void GmailHtml_QuoteAndSignature_AreRemoved()
    {
        const string html = "<div dir=\"ltr\">Sounds <b>good</b>.<br><br>"
            + "<div class=\"gmail_signature\" data-smartmail=\"gmail_signature\">Alice | Example Corp</div></div><br>"
            + "<div class=\"gmail_quote\"><div class=\"gmail_attr\">On Tue, Mar 1, 2016 at 6:02 PM Bob &lt;bob@example.org&gt; wrote:<br></div>"
            + "<blockquote class=\"gmail_quote\">Shall we meet?</blockquote></div>";

        var reply = ReplyExtractor.FromHtml(html);

        Assert.Equal("Sounds good.", reply.Visible);
        Assert.Contains("Shall we meet?", reply.Quoted, StringComparison.Ordinal);
        Assert.Contains("Alice | Example Corp", reply.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void AppleMailHtml_TrailingCiteBlockquote_IsRemoved()
    {
        const string html = "<div>Sounds good.</div><div><br><blockquote type=\"cite\"><div>On 1 Mar 2016, at 18:02, Bob &lt;bob@example.org&gt; wrote:</div>"
            + "<div>Shall we meet?</div></blockquote></div>";

        Assert.Equal("Sounds good.", ReplyExtractor.FromHtml(html).Visible);
    }

    [Fact]
    public void AppleMailHtml_InlineAnswersBetweenCiteBlockquotes_AreKept()
    {
        const string html = "<div>On 1 Mar 2016, at 18:02, Bob &lt;bob@example.org&gt; wrote:</div>"
            + "<blockquote type=\"cite\">Shall we meet at noon?</blockquote><div>Yes, noon works.</div>"
            + "<blockquote type=\"cite\">At the usual place?</blockquote><div>No, the new one.</div>";

        var visible = ReplyExtractor.FromHtml(html).Visible;

        Assert.Contains("> Shall we meet at noon?", visible, StringComparison.Ordinal);
        Assert.Contains("Yes, noon works.", visible, StringComparison.Ordinal);
        Assert.Contains("> At the usual place?", visible, StringComparison.Ordinal);
        Assert.EndsWith("No, the new one.", visible, StringComparison.Ordinal);
    }

    [Fact]
    public void OutlookHtml_ReplyForwardSeparator_RemovesEverythingAfterIt()
    {
        const string html = "<div>Sounds good.</div><hr style=\"display:inline-block;width:98%\">"
            + "<div id=\"divRplyFwdMsg\"><b>From:</b> Bob<br><b>Sent:</b> Tuesday<br><b>Subject:</b> Lunch</div>"
            + "<div>Shall we meet?</div>";

        var reply = ReplyExtractor.FromHtml(html);

        Assert.Equal("Sounds good.", reply.Visible);
        Assert.Contains("Shall we meet?", reply.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void OutlookDesktopHtml_BorderTopHeaderDiv_RemovesEverythingAfterIt()
    {
        const string html = "<div class=\"WordSection1\"><p class=\"MsoNormal\">Sounds good.</p>"
            + "<div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in\">"
            + "<p class=\"MsoNormal\"><b>From:</b> Bob &lt;bob@example.org&gt;<br><b>Sent:</b> Tuesday, March 1, 2016 6:02 PM</p></div>"
            + "<p class=\"MsoNormal\">Shall we meet?</p></div>";

        Assert.Equal("Sounds good.", ReplyExtractor.FromHtml(html).Visible);
    }

    [Fact]
    public void ThunderbirdHtml_CitePrefixAndQuote_AreRemoved()
    {
        const string html = "<p>Sounds good.</p><div class=\"moz-cite-prefix\">On 01/03/2016 18:02, Bob wrote:<br></div>"
            + "<blockquote type=\"cite\">Shall we meet?</blockquote>";

        Assert.Equal("Sounds good.", ReplyExtractor.FromHtml(html).Visible);
    }
}
