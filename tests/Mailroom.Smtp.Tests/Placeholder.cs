namespace Mailroom.Smtp.Tests;
