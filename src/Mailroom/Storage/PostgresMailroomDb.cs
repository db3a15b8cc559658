using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Mailroom.Storage;

public sealed class PostgresMailroomDb(DbContextOptions<PostgresMailroomDb> options) : MailroomDb(options);

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
public sealed class PostgresMailroomDbFactory : IDesignTimeDbContextFactory<PostgresMailroomDb>
{
    public PostgresMailroomDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMailroomDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
