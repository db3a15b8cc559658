namespace Mailroom.Tests;
