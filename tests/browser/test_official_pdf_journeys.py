"""Browser journeys of the official PDFs: the manual and the draft anteproyecto are asked for from their pages,
made by the task worker while the job page shows its progress, and opened from there — read back, they fit."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from tests.pdf_layout import assert_fits_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_manual_is_generated_in_the_background_and_opened_from_its_job(page, demo):
    sign_in(page, "jefe_planes_programas")
    page.get_by_role("link", name="Procedimientos").first.click()
    page.get_by_role("link", name="Manual de Normas y Procedimientos (PDF)").click()
    page.get_by_role("button", name="Generar el manual").click()
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    run_worker()
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=15_000)
    expect(page.get_by_test_id("job-message")).to_contain_text("Manual de Normas y Procedimientos generado")
    screenshot(page, "manual-job-done")
    href = page.get_by_test_id("job-next").get_attribute("href")
    assert href == "/procedimientos/manual.pdf"
    pdf = page.request.get(href)  # fetched, not downloaded
    assert pdf.headers["content-type"] == "application/pdf"
    assert len(assert_fits_page(pdf.body())) > 20


def test_the_draft_anteproyecto_is_generated_in_the_background(page, demo, plans):
    poa = plans["poa"]
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/planes/{poa.pk}/")
    page.get_by_role("link", name="Anteproyecto PDF").click()
    page.get_by_role("button", name="Generar el PDF en segundo plano").click()
    expect(page).to_have_url(re.compile(r"/trabajos/[0-9a-f-]+/$"))
    run_worker()
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-status", "succeeded", timeout=15_000)
    document = page.get_by_test_id("job-document")
    expect(document).to_be_visible()
    pdf = page.request.get(document.get_attribute("href"))
    pages = assert_fits_page(pdf.body())
    assert all(p.landscape for p in pages) and "III" in pages[0].text + pages[1].text
