using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Mailroom.Storage;

public sealed class SqliteMailroomDb(DbContextOptions<SqliteMailroomDb> options) : MailroomDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values; stored as a sortable integer.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
public sealed class SqliteMailroomDbFactory : IDesignTimeDbContextFactory<SqliteMailroomDb>
{
    public SqliteMailroomDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMailroomDb>().UseSqlite("Data Source=design.db").Options);
}
