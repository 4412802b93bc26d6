from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "技防管理平台"
admin.site.site_title = "jifang 技防"
admin.site.index_title = "登记与合规"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("jifang.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("jifang.web.urls")),
]
