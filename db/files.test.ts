import { describe, expect, it } from 'vitest';
import { uploadFileName } from './files';

describe('uploadFileName', () => {
  it('keeps a name whose extension is its type, as typed', () => {
    expect(uploadFileName('收入证明.png', 'png')).toBe('收入证明.png');
    expect(uploadFileName('病历 第2页.JPEG', 'jpg')).toBe('病历 第2页.JPEG');
    expect(uploadFileName('流水.pdf', 'pdf')).toBe('流水.pdf');
  });

  it('ends in the extension of what the bytes are: a phone opens the file by it', () => {
    expect(uploadFileName('户口本.pdf', 'png')).toBe('户口本.png');
    expect(uploadFileName('工资单', 'pdf')).toBe('工资单.pdf');
    expect(uploadFileName('2025.06 工资单', 'jpg')).toBe('2025.06 工资单.jpg');
    expect(uploadFileName('', 'webp')).toBe('file.webp');
  });

  it('begins no name with a dot, which would hide the file saved, and doubles no dot before the extension', () => {
    expect(uploadFileName('.pdf', 'pdf')).toBe('file.pdf');
    expect(uploadFileName('.bashrc', 'pdf')).toBe('bashrc.pdf');
    expect(uploadFileName('收入证明.', 'pdf')).toBe('收入证明.pdf');
    expect(uploadFileName('收入证明 . .png', 'png')).toBe('收入证明.png');
    expect(uploadFileName('...', 'jpg')).toBe('file.jpg');
  });

  it('cuts a long name before its extension, never through it, at 120 characters', () => {
    const long = `${'医院诊断证明'.repeat(25)}.pdf`;
    const name = uploadFileName(long, 'pdf');
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith('.pdf')).toBe(true);
    // Characters outside the basic plane are not cut in half.
    expect(uploadFileName(`${'📄'.repeat(130)}.png`, 'png')).toBe(`${'📄'.repeat(116)}.png`);
  });

  it('drops what a file system refuses and what turns text around', () => {
    expect(uploadFileName('a/b\\c:d*?.png', 'png')).toBe('b_c_d__.png');
    expect(uploadFileName('evil\u202Egnp.exe', 'png')).toBe('evilgnp.exe.png');
    expect(uploadFileName('..\\..\\evil\u202Elmth.pdf', 'pdf')).toBe('_.._evillmth.pdf');
  });
});
