from django.contrib import admin

from funding.models import AssistantSubsidyPayment, BudgetLine
from offices.admin_mixins import InputRecordAdmin


@admin.register(BudgetLine)
class BudgetLineAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["township", "year", "kind", "budgeted", "allocated"]
    list_filter = ["year", "kind", "township__county"]
    search_fields = ["township__name", "township__code"]
    raw_id_fields = ["township"]
    list_select_related = ["township"]


@admin.register(AssistantSubsidyPayment)
class AssistantSubsidyPaymentAdmin(InputRecordAdmin, admin.ModelAdmin):
    list_display = ["assistant", "village", "year", "quarter", "amount", "paid_date"]
    list_filter = ["year", "quarter", "assistant__village__township__county"]
    search_fields = ["assistant__name", "assistant__village__name", "assistant__village__township__name"]
    raw_id_fields = ["assistant"]
    list_select_related = ["assistant__village"]

    @admin.display(description="村（社区）", ordering="assistant__village__code")
    def village(self, payment):
        return payment.assistant.village
