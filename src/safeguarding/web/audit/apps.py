from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguarding.web.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.contrib.auth import signals

        from safeguarding.web.audit import sign_ins

        signals.user_logged_in.connect(sign_ins.signed_in, dispatch_uid="audit-sign-in")
        signals.user_login_failed.connect(
            sign_ins.sign_in_failed, dispatch_uid="audit-sign-in-failed"
        )
        signals.user_logged_out.connect(sign_ins.signed_out, dispatch_uid="audit-sign-out")
