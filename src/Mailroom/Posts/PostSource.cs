namespace Mailroom.Posts;

public enum PostSource
{
    App = 0,
    Email = 1,
}
