"""storage: CVs, logos and job results move from instance/ into the database

Revision ID: 0015_stored_files
Revises: 0014_fair_day
"""
import mimetypes
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0015_stored_files'
down_revision = '0014_fair_day'
branch_labels = None
depends_on = None

RESULT_DAYS = 7


def _file_columns():
    return [
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    stored = op.create_table('stored_files', *_file_columns(),
                             sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_files')))
    expiring = op.create_table('expiring_files', *_file_columns(),
                               sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
                               sa.PrimaryKeyConstraint('key', name=op.f('pk_expiring_files')))
    op.create_index(op.f('ix_expiring_files_expires_at'), 'expiring_files', ['expires_at'], unique=False)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_key', sa.String(length=64), nullable=True))
    _copy_files(stored, expiring)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('result_path')


def _copy_files(stored, expiring):
    """The files an installation already has: CVs and logos under the upload folder (the
    profile and company rows keep their names, now keys), job results still on disk."""
    upload_folder = _upload_folder()
    connection = op.get_bind()
    now = datetime.now(UTC)
    if upload_folder is not None:
        for kind, column, table in (('cv', 'cv_stored_name', 'candidate_profiles'),
                                    ('logo', 'logo_filename', 'companies')):
            subfolder = upload_folder / ('cv' if kind == 'cv' else 'logos')
            names = connection.execute(sa.text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")).scalars()
            for name in names:
                path = subfolder / name
                if path.is_file():
                    data = path.read_bytes()
                    connection.execute(stored.insert().values(
                        key=name, kind=kind, content_type=mimetypes.guess_type(name)[0] or 'application/octet-stream',
                        size=len(data), data=data, created_at=now))
    rows = connection.execute(sa.text("SELECT id, result_path FROM jobs WHERE result_path IS NOT NULL")).all()
    for job_id, result_path in rows:
        path = Path(result_path)
        if path.is_file():
            data = path.read_bytes()
            key = f"job-{job_id}"
            connection.execute(expiring.insert().values(
                key=key, kind='job', content_type=mimetypes.guess_type(path.name)[0] or 'application/octet-stream',
                size=len(data), data=data, created_at=now, expires_at=now + timedelta(days=RESULT_DAYS)))
            connection.execute(sa.text("UPDATE jobs SET result_key = :key WHERE id = :id"), {"key": key, "id": job_id})


def _upload_folder() -> Path | None:
    try:
        from flask import current_app

        folder = Path(current_app.config.get('UPLOAD_FOLDER') or Path(current_app.instance_path) / 'uploads')
    except RuntimeError:  # Alembic run without the application: no files to bring in
        return None
    return folder if folder.is_dir() else None


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_path', sa.String(length=500), nullable=True))
        batch_op.drop_column('result_key')
    op.drop_index(op.f('ix_expiring_files_expires_at'), table_name='expiring_files')
    op.drop_table('expiring_files')
    op.drop_table('stored_files')
