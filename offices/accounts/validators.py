"""Password validators for AUTH_PASSWORD_VALIDATORS: a minimum length and characters from enough classes."""
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from offices.accounts.rules import character_classes


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message of our own.

    Django 5.2 reworded its message and its zh_Hans catalogue has not caught up, so the
    refusal came out in English.
    """

    def get_error_message(self):
        return _("密码太短：至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    """Require characters from at least `min_classes` of four classes: upper, lower, digit, symbol."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = character_classes(password)
        if found < self.min_classes:
            raise ValidationError(
                _("密码过于简单：须包含大写字母、小写字母、数字、符号四类字符中的至少%(min_classes)d类，"
                  "当前只有%(found)d类。"),
                code="password_too_few_character_classes",
                params={"min_classes": self.min_classes, "found": found},
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号四类字符中的至少%(min_classes)d类。") % {
            "min_classes": self.min_classes
        }
