namespace Mailroom.Browser.Tests;
