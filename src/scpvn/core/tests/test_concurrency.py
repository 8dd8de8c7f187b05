"""Two people editing the same record: the second is told, and nothing is lost."""

import datetime as dt

import pytest
from django import forms
from django.http import HttpResponse
from django.test import RequestFactory
from django.views.generic import UpdateView
from simple_history.middleware import HistoryRequestMiddleware

from scpvn.core.concurrency import (
    ConflictCheckedUpdateMixin,
    EditConflict,
    save_if_unchanged,
    version_of,
)
from scpvn.progress.models import Activity


@pytest.fixture
def activity(mini_plan):
    from scpvn.orgs.models import Agency

    task = mini_plan.tasks.get(number=1)
    return Activity.objects.create(
        task=task,
        deliverable=task.deliverables.get(code="1.1"),
        agency=Agency.objects.get(code="SCT"),
        date=dt.date(2020, 8, 1),
        quantity=3,
        title="Bài viết tháng 8",
    )


@pytest.mark.django_db
def test_second_save_from_a_stale_version_is_refused(activity):
    opened_by_both = version_of(activity)
    first = Activity.objects.get(pk=activity.pk)
    second = Activity.objects.get(pk=activity.pk)

    save_if_unchanged(first, opened_by_both, {"quantity": 5})
    with pytest.raises(EditConflict) as conflict:
        save_if_unchanged(second, opened_by_both, {"quantity": 7, "title": "Sửa khác"})

    activity.refresh_from_db()
    assert activity.quantity == 5 and activity.title == "Bài viết tháng 8"
    assert conflict.value.current.quantity == 5
    # Having seen the newer version, the second editor can save on top of it.
    save_if_unchanged(second, version_of(activity), {"quantity": 7})
    activity.refresh_from_db()
    assert activity.quantity == 7
    assert activity.history.count() == 3


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "quantity"]


class ActivityEdit(ConflictCheckedUpdateMixin, UpdateView):
    model = Activity
    form_class = ActivityForm
    success_url = "/done/"

    def render_to_response(self, context, **kwargs):
        form = context["form"]
        return HttpResponse(f"{form.non_field_errors()}{form.as_div()}", **kwargs)


@pytest.mark.django_db
def test_update_view_keeps_the_second_editors_input_and_answers_409(activity, users):
    factory = RequestFactory()
    view = ActivityEdit.as_view()
    version = version_of(activity)

    def post(user, data):
        request = factory.post("/", data)
        request.user = user
        return HistoryRequestMiddleware(lambda r: view(r, pk=activity.pk))(request)

    first = post(users["agency_officer"], {"title": "A", "quantity": "4", "version": version})
    assert first.status_code == 302
    second = post(users["reviewer"], {"title": "B của tôi", "quantity": "9", "version": version})
    assert second.status_code == 409
    html = second.content.decode()
    assert "B của tôi" in html  # what the second editor typed is still in the form
    assert "vừa được" in html and "officer" in html  # and who got there first
    activity.refresh_from_db()
    assert (activity.title, activity.quantity) == ("A", 4)
