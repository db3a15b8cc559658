using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

public static class BillingFeature
{
    /// <summary>Cycles, extra account slots, the ledger and the payment processor (Stripe, or none).</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidation>();
        var processor = configuration.GetSection(BillingOptions.SectionName).GetValue<BillingProcessorKind?>(nameof(BillingOptions.Processor));
        if (processor == BillingProcessorKind.Stripe)
        {
            services.AddSingleton<IPaymentProcessor, StripeProcessor>();
        }
        else
        {
            services.AddSingleton<IPaymentProcessor, LedgerOnlyProcessor>();
        }
        services.AddScoped<LedgerCharger>();
        services.AddScoped<BillingService>();
        services.AddScoped<PlanChanges>();
        services.AddScoped<CycleChanges>();
        services.AddScoped<CardsOnFile>();
        services.AddScoped<BillingRenewals>();
        services.AddHostedService<RenewalWorker>();
        return services;
    }
}
