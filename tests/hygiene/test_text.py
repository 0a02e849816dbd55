"""Control characters: which are refused where, the message, and that every form and model applies the check.

Refused everywhere: C0 controls, DEL, C1 controls, U+FFFE/U+FFFF. Tab, line feed, carriage return
and U+2028/U+2029 (line and paragraph separators) are line breaks: refused on a single line,
allowed in multi-line text (a model TextField, a form Textarea).
"""
import importlib

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from offices.text import (
    ControlCharacterValidator,
    NoControlCharactersForm,
    NoControlCharactersModel,
    has_control_characters,
    strip_control_characters,
)

PROJECT_APPS = ["offices", "staffing", "funding", "facilities", "regulations", "training", "supervision",
                "assessments"]
FORM_MODULES = ["offices.forms", "staffing.forms", "funding.forms", "facilities.forms", "regulations.forms",
                "training.forms", "supervision.forms", "assessments.oversight_forms"]
ALWAYS_REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
                  "\ufffe", "\uffff"]
LINE_BREAKS = ["\t", "\n", "\r", "\u2028", "\u2029"]
FINE = ["张三", "Zhang San", "李\u00a0四", "王·五", "＝１２３", "emoji 😀", "Ωμέγα", "\u200b"]


@pytest.mark.parametrize("character", ALWAYS_REFUSED)
def test_refused_on_one_line_and_in_multi_line_text(character):
    assert has_control_characters(f"张{character}三")
    assert has_control_characters(f"张{character}三", multiline=True)


@pytest.mark.parametrize("character", LINE_BREAKS)
def test_line_breaks_only_in_multi_line_text(character):
    assert has_control_characters(f"张{character}三")
    assert not has_control_characters(f"第一行{character}第二行", multiline=True)


@pytest.mark.parametrize("text", FINE)
def test_ordinary_text_is_fine(text):
    assert not has_control_characters(text) and not has_control_characters(text, multiline=True)


def test_a_spreadsheet_cell_keeps_line_breaks_and_loses_the_rest():
    assert strip_control_characters("张\x0b三\x00\x1f\x7f\x85\ufffe") == "张三"
    assert strip_control_characters("第一行\n第二行\t\r\u2028") == "第一行\n第二行\t\r\u2028"
    assert strip_control_characters("孤\ud800立") == "孤立"
    assert strip_control_characters("张三") == "张三"


def test_the_message_names_the_field():
    with pytest.raises(ValidationError) as caught:
        ControlCharacterValidator("姓名")("张\x0b三")
    assert caught.value.code == "control_characters"
    assert caught.value.messages == ["「姓名」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。"]


def project_forms():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                yield value


def test_every_form_of_every_app_refuses_control_characters():
    found = list(project_forms())
    assert len(found) >= 20
    missing = [f"{form.__module__}.{form.__name__}" for form in found if not issubclass(form, NoControlCharactersForm)]
    assert not missing, f"forms without NoControlCharactersForm: {missing}"


def text_fields():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    yield model, field


def test_every_model_with_text_refuses_control_characters():
    missing = sorted({f"{model._meta.label}" for model, _field in text_fields()
                      if not issubclass(model, NoControlCharactersModel)})
    assert not missing, f"models without NoControlCharactersModel: {missing}"


def entered_text_fields():
    """The text fields a user's input reaches; a history row (django-simple-history) is a copy of a record that was
    cleaned when saved, and keeps the original field's validators (a file field's size check wants a file)."""
    return [(model, field) for model, field in text_fields() if not hasattr(model, "instance_type")]


@pytest.mark.parametrize(
    ("model", "field"), entered_text_fields(), ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")),
)
def test_full_clean_refuses_a_vertical_tab_in_every_text_field(model, field):
    instance = model()
    setattr(instance, field.attname, "张\x0b三")
    with pytest.raises(ValidationError) as caught:
        instance.clean_fields(exclude=[f.name for f in model._meta.concrete_fields if f is not field])
    errors = caught.value.message_dict[field.name]
    if field.choices or field.name in {"code", "username", "email"}:
        assert errors  # not a choice, a division code, a user name or an address already: that message says so
    else:
        assert errors == [f"「{field.verbose_name}」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。"]


@pytest.mark.parametrize(("model", "field"), [(m, f) for m, f in entered_text_fields() if isinstance(f, models.TextField)],
                         ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")))
def test_a_text_field_takes_line_breaks(model, field):
    instance = model()
    setattr(instance, field.attname, "第一条\r\n第二条\t完")
    instance.clean_fields(exclude=[f.name for f in model._meta.concrete_fields if f is not field])


class ExampleForm(NoControlCharactersForm, forms.Form):
    name = forms.CharField(label="姓名")
    note = forms.CharField(label="说明", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(label="工作站名称", required=False)


def test_the_form_mixin_covers_fields_added_in_init_and_allows_line_breaks_in_a_textarea():
    form = ExampleForm({"name": "张\x0b三", "note": "一\n二", "added_later": "东\x0c村"})
    assert not form.is_valid()
    assert form.errors["name"] == ["「姓名」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。"]
    assert form.errors["added_later"] == ["「工作站名称」不能包含控制字符（如从Word粘贴带来的换行符），请删除后重试。"]
    assert "note" not in form.errors
    form.full_clean()  # again: the check is attached once
    assert len(form.errors["name"]) == 1


def test_a_vertical_tab_at_either_end_is_stripped_like_other_whitespace():
    form = ExampleForm({"name": "\x0b张三\x0b"})
    assert form.is_valid() and form.cleaned_data["name"] == "张三"
