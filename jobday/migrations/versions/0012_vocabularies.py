"""vocabularies: every coded column has its CHECK; the door's "revoked" answer is "badge_revoked"

Revision ID: 0012_vocabularies
Revises: 0011_leads

The lists are this release's vocabularies (``jobday/vocabulary.py`` and each feature's
models), written out: a migration describes the schema at one point in time. The scan result
"revoked" becomes "badge_revoked" (the badge's own state keeps the word "revoked").
"""
from alembic import op

revision = '0012_vocabularies'
down_revision = '0011_leads'
branch_labels = None
depends_on = None

JOB_AREAS = ("'production', 'quality_control', 'quality_assurance', 'rnd', 'maintenance', 'engineering', "
             "'regulatory', 'logistics', 'other'")
CONTRACTS = "'permanent', 'fixed_term', 'internship', 'student_job'"
LEVELS = "'cess', 'bachelor', 'master', 'phd', 'other'"
RESULTS = ("'ok', 'already_inside', 'unknown', 'badge_revoked', 'wrong_edition', 'not_today', 'cancelled', "
           "'exit'")
OLD_RESULTS = "'ok', 'already_inside', 'unknown', 'revoked', 'wrong_edition', 'not_today', 'cancelled', 'exit'"

NEW_CHECKS = {
    'user_roles': [('role_known', "role IN ('candidate', 'recruiter', 'staff', 'admin')")],
    'candidate_profiles': [
        ('education_level_known', f"education_level IS NULL OR education_level IN ({LEVELS})"),
        ('region_known', "region IN ('', 'wallonia', 'brussels', 'flanders', 'abroad')")],
    'candidate_languages': [('language_known', "language IN ('fr', 'nl', 'en', 'de')"),
                            ('level_known', "level IN ('basic', 'good', 'fluent', 'native')")],
    'candidate_job_areas': [('area_known', f"area IN ({JOB_AREAS})")],
    'candidate_contract_types': [('contract_type_known', f"contract_type IN ({CONTRACTS})")],
    'consents': [('kind_known', "kind IN ('share_with_applied', 'share_with_all_exhibitors', 'news')")],
    'registrations': [('status_known', "status IN ('registered', 'waitlisted', 'offered', 'expired', 'withdrawn')")],
    'companies': [('sector_known', "sector IN ('biopharma', 'cdmo', 'cell_gene_therapy', 'medtech', 'diagnostics', "
                                   "'radiopharma', 'services', 'engineering', 'logistics', 'other')")],
    'job_offers': [('contract_type_known', f"contract_type IN ({CONTRACTS})"),
                   ('education_level_known', f"education_level IN ({LEVELS})"),
                   ('region_known', "region IN ('', 'wallonia', 'brussels', 'flanders', 'abroad')")],
    'job_offer_languages': [('language_known', "language IN ('fr', 'nl', 'en', 'de')")],
    'job_offer_areas': [('area_known', f"area IN ({JOB_AREAS})")],
    'bookings': [
        ('source_known', "source IN ('open', 'apply', 'proposal', 'scheduler', 'waitlist', 'organiser', "
                         "'invitation')"),
        ('cancel_reason_known', "cancel_reason IS NULL OR cancel_reason IN ('candidate', 'recruiter', 'withdrawn', "
                                "'plan', 'released', 'organiser', 'moved')")],
    'schedule_runs': [('status_known', "status IN ('running', 'preview', 'failed', 'published', 'discarded')")],
    'badges': [('revoke_reason_known', "revoke_reason IS NULL OR revoke_reason IN ('lost', 'damaged', "
                                       "'name_corrected', 'role_changed', 'other', 'name_changed', 'withdrawn', "
                                       "'not_taking_part', 'erased')")],
    'badge_print_runs': [('layout_known', "layout IN ('a4-8', 'a4-4', 'a6', 'card')")],
    'jobs': [('status_known', "status IN ('queued', 'running', 'done', 'failed')")],
    'audit_entries': [
        ('action_known', "action IN ('login', 'role_change', 'cv_view', 'export', 'forced_scan', 'badge_reissue', "
                         "'erasure', 'campaign_send', 'registration_withdraw', 'email_resend', 'purge', "
                         "'edition_change')"),
        ('object_type_known', "object_type IN ('', 'user', 'edition', 'campaign', 'registration', 'badge', 'cv', "
                              "'retention', 'scan', 'participation')")],
    'campaigns': [
        ('status_known', "status IN ('draft', 'sending', 'sent')"),
        ('audience_known', "audience IN ('registered', 'registered_no_interview', 'waitlisted', "
                           "'approved_companies', 'not_arrived')")],
}
SCAN_CHECKS = [('result_known', f"result IN ({RESULTS})"),
               ('reason_known', f"reason IN ('', {RESULTS})"),
               ('local_result_known', f"local_result IS NULL OR local_result IN ({RESULTS})")]


def _rename_scan_result(old: str, new: str) -> None:
    for column in ('result', 'reason', 'local_result'):
        op.execute(f"UPDATE checkin_scans SET {column} = '{new}' WHERE {column} = '{old}'")


def upgrade():
    for table, checks in NEW_CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, sql in checks:
                batch_op.create_check_constraint(batch_op.f(f'ck_{table}_{name}'), sql)
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_checkin_scans_result_known'), type_='check')
    _rename_scan_result('revoked', 'badge_revoked')
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        for name, sql in SCAN_CHECKS:
            batch_op.create_check_constraint(batch_op.f(f'ck_checkin_scans_{name}'), sql)


def downgrade():
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        for name, _sql in SCAN_CHECKS:
            batch_op.drop_constraint(batch_op.f(f'ck_checkin_scans_{name}'), type_='check')
    _rename_scan_result('badge_revoked', 'revoked')
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_checkin_scans_result_known'), f"result IN ({OLD_RESULTS})")
    for table, checks in reversed(NEW_CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _sql in checks:
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{name}'), type_='check')
