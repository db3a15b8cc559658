namespace Mailroom.Posts;

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string DownloadUrl);
