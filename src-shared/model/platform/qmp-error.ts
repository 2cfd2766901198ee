// A QMP error answer: the class a client acts on and QEMU's description
// (docs/interop/qmp-spec.rst "Error").
export class QmpError extends Error {
  constructor(
    readonly errorClass: 'GenericError' | 'DeviceNotFound',
    readonly desc: string,
  ) {
    super(desc);
  }

  /** the answer as QEMU writes it */
  answer(): string {
    return JSON.stringify({ error: { class: this.errorClass, desc: this.desc } });
  }
}
