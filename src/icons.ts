import { LabIcon } from '@jupyterlab/ui-components';
import shieldSvg from '../style/icons/shield.svg';
import querySvg from '../style/icons/query.svg';
import eyeSvg from '../style/icons/eye.svg';
import eyeOffSvg from '../style/icons/eye-off.svg';
import mailSvg from '../style/icons/mail.svg';

/** The Data Clean Room's shield (right sidebar, status bar). */
export const shieldIcon = new LabIcon({
  name: 'jupyterlab-vce:shield',
  svgstr: shieldSvg
});

/** The query builder (left sidebar, palette, launcher). */
export const queryIcon = new LabIcon({
  name: 'jupyterlab-vce:query',
  svgstr: querySvg
});

/** "Display" the secret, as the platform's own pages do (eye icon). */
export const eyeIcon = new LabIcon({
  name: 'jupyterlab-vce:eye',
  svgstr: eyeSvg
});

/** Hide the secret again. */
export const eyeOffIcon = new LabIcon({
  name: 'jupyterlab-vce:eye-off',
  svgstr: eyeOffSvg
});

/** The Inbox: the platform's mails to the primary researcher. */
export const mailIcon = new LabIcon({
  name: 'jupyterlab-vce:mail',
  svgstr: mailSvg
});
